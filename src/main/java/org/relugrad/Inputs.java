package org.relugrad;

import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.npy.NpyInput;
import org.relugrad.internal.io.parquet.ParquetInput;
import org.relugrad.internal.io.synthetic.SyntheticInput;

/**
 * The inputs {@code relugrad grad} reads, for {@link ReluLoss#of(org.apache.spark.sql.SparkSession, RowRangeInput)}:
 * rows of X and Y in files (local or any Hadoop file system), and W beside them. Nothing is read until the loss
 * opens the input.
 */
public final class Inputs {
    private Inputs() {
    }

    /** X and Y in .npy files (float64 or float32, C order), W in a .npy or CSV file. */
    public static RowRangeInput npy(String xFile, String yFile, String wFile) {
        return new NpyInput(xFile, yFile, wFile);
    }

    /** X and Y in CSV files or folders of CSV parts (one row a line), W in a CSV or .npy file. */
    public static RowRangeInput csv(String xFile, String yFile, String wFile) {
        return new CsvInput(xFile, yFile, wFile);
    }

    /**
     * X and Y as the array columns {@code x} and {@code y} of a Parquet table (a file or a folder of parts); row i is
     * the i-th row of the parts in name order, or, with {@code rowColumn}, the row whose integer column holds i.
     */
    public static RowRangeInput parquet(String table, String wFile, String rowColumn) {
        return new ParquetInput(table, wFile, rowColumn);
    }

    /** The reproducible synthetic problem of {@code grad --generate n,d,k,seed}. */
    public static RowRangeInput synthetic(long n, int d, int k, long seed) {
        return new SyntheticInput(n, d, k, seed);
    }
}
