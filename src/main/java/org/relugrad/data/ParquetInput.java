package org.relugrad.data;

import org.apache.hadoop.conf.Configuration;
import org.relugrad.math.Matrix;

/**
 * X and Y as one Parquet table (a file, or a folder of part files as Spark writes them) with either the columns
 * {@code x} and {@code y} of type array&lt;double&gt;, or {@code x0 … x{d-1}} and {@code y0 … y{k-1}} of type
 * double; W from a .npy or CSV file. Rows are numbered by an optional row index column (0 … n−1, each once, in any
 * order), or else by their place: the files in name order, then each file's own row order. The job reads the table
 * through Spark SQL (see job/ParquetBlocks); this class only names it.
 */
public final class ParquetInput implements GradientInput {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final String wFile;
    private final String rowColumn;

    /** @param rowColumn the row index column, or null to number rows by their place */
    public ParquetInput(String table, String wFile, String rowColumn) {
        this.table = table;
        this.wFile = wFile;
        this.rowColumn = rowColumn;
    }

    /** Reads W; the table's schema is checked against it when the job opens the table. */
    @Override
    public Matrix open(Configuration conf) {
        return MatrixFile.read(wFile, conf);
    }

    public String table() {
        return table;
    }

    public String wFile() {
        return wFile;
    }

    /** The row index column, or null. */
    public String rowColumn() {
        return rowColumn;
    }

    @Override
    public String describe() {
        return "parquet: table=" + table + (rowColumn != null ? " row=" + rowColumn : "") + " w=" + wFile;
    }
}
