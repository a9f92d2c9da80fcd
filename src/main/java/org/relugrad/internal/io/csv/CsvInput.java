package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.TextFile;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * X and Y as CSV files on any Hadoop file system: comma-separated numbers, one row a line, no header; W as CSV or
 * .npy. Each input is a file or a folder of files. On the driver the lines of every split of X and Y are counted
 * (in tasks, see {@link LineIndex}); then each task reads its rows of X and of Y from where their lines are, so
 * the same rows of both meet in the same task without a shuffle.
 */
public final class CsvInput implements RowRangeInput {
    private static final long serialVersionUID = 1L;

    private final String xFile;
    private final String yFile;
    private final String wFile;
    private HadoopConf conf;
    private int d;
    private int k;
    private LineIndex x;
    private LineIndex y;

    public CsvInput(String xFile, String yFile, String wFile) {
        this.xFile = xFile;
        this.yFile = yFile;
        this.wFile = wFile;
    }

    /**
     * Reads W and checks the first lines of X and Y against its shape, so that a header line or a shape error
     * stops the run at once, before any Spark job.
     */
    @Override
    public Matrix open(Configuration conf) {
        List<TextFile> xs = HadoopFiles.listText(xFile, conf);
        List<TextFile> ys = HadoopFiles.listText(yFile, conf);
        Matrix w = MatrixFile.read(wFile, conf);
        this.conf = new HadoopConf(conf);
        this.d = w.rows();
        this.k = w.cols();
        checkFirstLine(xs, conf, xRows());
        checkFirstLine(ys, conf, yRows());
        return w;
    }

    private static void checkFirstLine(List<TextFile> files, Configuration conf, CsvRows rows) {
        String line = HadoopFiles.firstLine(files, conf);
        if (line != null) {
            String file = files.stream().filter(f -> f.bytes() > 0).findFirst().orElseThrow().name();
            byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            rows.parse(bytes, 0, bytes.length, file, 1, new double[rows.width()], 0);
        }
    }

    /**
     * Counts the lines of X and Y in one pass of tasks.
     *
     * @throws InputException when either has no lines, cannot be read, or the two differ in length (naming the
     *     first blank line, if there is one)
     */
    @Override
    public void index(ParallelWork work) {
        List<LineIndex> counted = LineIndex.count(List.of(xFile, yFile), conf.get(), work);
        LineIndex xs = counted.get(0);
        LineIndex ys = counted.get(1);
        if (xs.rows() == 0) {
            throw new InputException(xFile, 0, "has no lines");
        }
        if (ys.rows() == 0) {
            throw new InputException(yFile, 0, "has no lines");
        }
        if (xs.rows() != ys.rows()) {
            InputError blank = xs.firstBlankLine() != null ? xs.firstBlankLine() : ys.firstBlankLine();
            throw new InputException(xFile, 0, "has " + xs.rows() + " lines and " + yFile + " has " + ys.rows()
                    + "; the rows of X and Y must pair up line by line"
                    + (blank != null ? " (" + blank + ")" : ""));
        }
        this.x = xs;
        this.y = ys;
    }

    @Override
    public long rows() {
        return x.rows();
    }

    @Override
    public RowBlock read(long firstRow, int count) {
        try (RangeReader reader = reader(firstRow, firstRow + count)) {
            return reader.next(count, null);
        }
    }

    /** The lines of X and Y from row {@code from} on, each block's rows parsed row by row, X's line before Y's. */
    @Override
    public RangeReader reader(long from, long to) {
        LineIndex.Lines xLines = x.open(from, conf.get());
        LineIndex.Lines yLines;
        try {
            yLines = y.open(from, conf.get());
        } catch (RuntimeException e) {
            xLines.close();
            throw e;
        }
        CsvRows xRows = xRows();
        CsvRows yRows = yRows();
        return new RangeReader() {
            private long next = from;

            @Override
            public RowBlock next(int count, RowBlock previous) {
                boolean reuse = previous != null && previous.x().length >= count * d && previous.y().length >= count * k;
                double[] xs = reuse ? previous.x() : new double[count * d];
                double[] ys = reuse ? previous.y() : new double[count * k];
                for (int r = 0; r < count; r++) {
                    xLines.next();
                    xRows.parse(xLines.bytes(), xLines.start(), xLines.end(), xLines.file(), xLines.lineNumber(),
                            xs, r * d);
                    yLines.next();
                    yRows.parse(yLines.bytes(), yLines.start(), yLines.end(), yLines.file(), yLines.lineNumber(),
                            ys, r * k);
                }
                RowBlock block = new RowBlock(next, count, d, k, xs, ys);
                next += count;
                return block;
            }

            @Override
            public void close() {
                try {
                    xLines.close();
                } finally {
                    yLines.close();
                }
            }
        };
    }

    private CsvRows xRows() {
        return new CsvRows(d, "d = " + d + ", the rows of " + wFile);
    }

    private CsvRows yRows() {
        return new CsvRows(k, "k = " + k + ", the columns of " + wFile);
    }

    @Override
    public String describe() {
        return "csv: x=" + xFile + " y=" + yFile + " w=" + wFile;
    }
}
