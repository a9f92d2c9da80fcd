package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.NumberedRows;
import org.relugrad.internal.io.NumberedRowsInput;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.TextFile;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.parquet.schema.MessageType;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * X and Y as one Parquet table (a file, or a folder of part files as Spark writes them) with either the columns
 * {@code x} and {@code y} of type array&lt;double&gt;, or {@code x0 … x{d-1}} and {@code y0 … y{k-1}} of type
 * double; W from a .npy or CSV file. Rows are numbered by their place: the files in name order (leaving out hidden
 * ones, as Spark does), then each file's row groups, then their rows. The driver reads only the footers (in tasks
 * when there are many files); each task reads the row groups that overlap its rows, straight into the blocks'
 * arrays through Parquet's column pages.
 *
 * <p>With a row column (an integer column holding 0 … n−1, each once), rows are numbered by it instead. When its
 * row groups' statistics show it numbers the rows in file order, the table is read as above and every value is
 * checked; otherwise the rows are read in stored order with their numbers ({@link NumberedRowsInput}) and the job
 * brings them to their blocks with one shuffle.
 *
 * <p>Where every file's columns of X and Y are float (float32, or array&lt;float&gt;), the blocks keep the values
 * as float32 (half the memory in a cache) and the kernel widens them as it reads them; where only some are, those
 * are widened to float64 as they are read, as a block holds one type. A table read through the shuffle keeps
 * float64 blocks. Either way the results are those of the same values in float64.
 */
public final class ParquetInput implements NumberedRowsInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(ParquetInput.class);
    /** Up to this many files, the driver reads the footers itself; beyond, tasks read them this many at a time. */
    private static final int DRIVER_FOOTERS = 32;

    private final String table;
    private final String wFile;
    private final String rowColumn;
    private int d;
    private int k;
    private HadoopConf conf;
    private ParquetFooter[] files;
    /** The first global row of each file's row groups, in file order. */
    private long[][] firstRows;
    private long rows;
    private boolean shuffled;
    /** Whether every file's X and Y columns hold float32 values. */
    private boolean floatColumns;

    /** @param rowColumn the row index column, or null to number rows by their place */
    public ParquetInput(String table, String wFile, String rowColumn) {
        this.table = table;
        this.wFile = wFile;
        this.rowColumn = rowColumn;
    }

    /** Reads W; the table's footers and schema are read by {@link #index}. */
    @Override
    public Matrix open(Configuration hadoop) {
        Matrix w = MatrixFile.read(wFile, hadoop);
        this.d = w.rows();
        this.k = w.cols();
        this.conf = new HadoopConf(hadoop);
        return w;
    }

    /**
     * Lists the table's files, reads their footers, checks each schema against W and numbers the row groups.
     *
     * @throws InputException when the table cannot be read, lacks the columns, has no rows, or its row column's
     *     statistics show it does not number the rows 0 … n−1
     */
    @Override
    public void index(ParallelWork work) {
        List<String[]> listed = list();
        List<ParquetFooter> footers = new ArrayList<>();
        if (listed.size() <= DRIVER_FOOTERS) {
            listed.forEach(f -> footers.add(ParquetFooter.read(f[0], f[1], this, conf.get())));
        } else {
            List<ArrayList<String[]>> batches = new ArrayList<>();
            for (int i = 0; i < listed.size(); i += DRIVER_FOOTERS) {
                batches.add(new ArrayList<>(listed.subList(i, Math.min(listed.size(), i + DRIVER_FOOTERS))));
            }
            for (ArrayList<ParquetFooter> batch : work.map(batches, this::readFooters)) {
                footers.addAll(batch);
            }
        }
        this.files = footers.toArray(ParquetFooter[]::new);
        this.firstRows = new long[files.length][];
        long next = 0;
        for (int f = 0; f < files.length; f++) {
            firstRows[f] = new long[files[f].groupRows().length];
            for (int g = 0; g < firstRows[f].length; g++) {
                firstRows[f][g] = next;
                next += files[f].groupRows()[g];
            }
        }
        this.rows = next;
        this.floatColumns = Arrays.stream(files).allMatch(ParquetFooter::float32);
        if (rows == 0) {
            throw new InputException(table, 0, "has no rows");
        }
        if (rowColumn != null) {
            this.shuffled = !rowColumnInFileOrder();
            if (shuffled) {
                LOG.info("the row column '{}' does not number the rows in file order: reading {} costs one shuffle",
                        rowColumn, table);
            }
        }
    }

    private ArrayList<ParquetFooter> readFooters(ArrayList<String[]> batch) {
        ArrayList<ParquetFooter> read = new ArrayList<>();
        batch.forEach(f -> read.add(ParquetFooter.read(f[0], f[1], this, conf.get())));
        return read;
    }

    /** The data files, each as {full path, name as the user would write it}: in name order, hidden ones left out. */
    private List<String[]> list() {
        try {
            List<TextFile> files = HadoopFiles.listData(table, conf.get(), "cannot be read as Parquet: ",
                    "give a file or a folder of files (partitioned tables are not read)");
            if (files.isEmpty()) {
                throw new InputException(table, 0, "cannot be read as Parquet: the folder holds no data files");
            }
            List<String[]> found = new ArrayList<>();
            files.forEach(f -> found.add(new String[] {f.path(), f.name()}));
            return found;
        } catch (FileNotFoundException e) {
            throw new InputException(table, 0, "cannot be read as Parquet: no such file or folder");
        } catch (IOException e) {
            throw new InputException(table, 0, "cannot be read as Parquet: " + e.getMessage());
        }
    }

    /**
     * Whether every row group's statistics say its row column holds exactly the rows it stands at; else checks, as
     * far as the statistics tell, that the column numbers the rows 0 … n−1.
     */
    private boolean rowColumnInFileOrder() {
        boolean inOrder = true;
        boolean allKnown = true;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int f = 0; f < files.length; f++) {
            for (int g = 0; g < firstRows[f].length; g++) {
                long count = files[f].groupRows()[g];
                if (count == 0) {
                    continue;
                }
                long lo = files[f].rowMin()[g];
                long hi = files[f].rowMax()[g];
                allKnown &= lo != Long.MAX_VALUE;
                inOrder &= lo == firstRows[f][g] && hi == firstRows[f][g] + count - 1;
                min = Math.min(min, lo);
                max = Math.max(max, hi);
            }
        }
        if (allKnown && (min != 0 || max != rows - 1)) {
            throw new InputException(misnumbered("it runs from " + min + " to " + max));
        }
        return inOrder;
    }

    /** The error for a row column that does not number the rows 0 … n−1 once each. */
    @Override
    public InputError misnumbered(String problem) {
        return new InputError(table, 0, "the row column '" + rowColumn + "' must number the " + rows + " rows 0.."
                + (rows - 1) + " once each; " + problem);
    }

    /** The columns of a file of this table with schema {@code schema}, checked against W's shape. */
    ParquetColumns columns(MessageType schema) {
        return new ParquetColumns(schema, d, k, rowColumn, table, wFile);
    }

    @Override
    public long rows() {
        return rows;
    }

    /**
     * Whether the blocks keep the values as float32: every file's X and Y columns hold float32, and the rows are
     * read in file order (the shuffle brings rows to their blocks as float64).
     */
    @Override
    public boolean float32() {
        return floatColumns && !shuffled;
    }

    @Override
    public RowBlock read(long firstRow, int count) {
        try (RangeReader reader = reader(firstRow, firstRow + count)) {
            return reader.next(count, null);
        }
    }

    @Override
    public RangeReader reader(long from, long to) {
        return new ParquetRangeReader(this, from, to);
    }

    @Override
    public boolean inStoredOrder() {
        return !shuffled;
    }

    @Override
    public int storedParts() {
        return files.length;
    }

    @Override
    public java.util.Iterator<NumberedRows> readStored(int part, int chunkRows) {
        return new ParquetStoredRows(this, part, chunkRows);
    }

    int d() {
        return d;
    }

    int k() {
        return k;
    }

    Configuration conf() {
        return conf.get();
    }

    ParquetFooter file(int f) {
        return files[f];
    }

    int fileCount() {
        return files.length;
    }

    long firstRow(int file, int group) {
        return firstRows[file][group];
    }

    String table() {
        return table;
    }

    String wFile() {
        return wFile;
    }

    /** The row index column, or null. */
    String rowColumn() {
        return rowColumn;
    }

    @Override
    public String describe() {
        return "parquet: table=" + table + (rowColumn != null ? " row=" + rowColumn : "") + " w=" + wFile;
    }

    /** Where a global row is: its file, row group and row within the group. */
    record Place(int file, int group, long row) implements Serializable {
    }

    /** The place of global row {@code row} (0 ≤ row &lt; n): the row group that holds it. */
    Place place(long row) {
        for (int f = 0; f < files.length; f++) {
            for (int g = 0; g < firstRows[f].length; g++) {
                if (row < firstRows[f][g] + files[f].groupRows()[g]) {
                    return new Place(f, g, row - firstRows[f][g]);
                }
            }
        }
        throw new IndexOutOfBoundsException("row " + row + " of " + rows);
    }
}
