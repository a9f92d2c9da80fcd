package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.StoredRows;

import org.apache.hadoop.conf.Configuration;

/**
 * A CSV matrix read through its {@link LineIndex}: a plain one (one row a line, no index), or relugrad's CSV parts,
 * whose lines start with their 0-based row, which must be the row the line stands for.
 */
public final class CsvStoredRows implements StoredRows {
    private static final long serialVersionUID = 1L;

    private final LineIndex lines;
    private final int cols;
    private final boolean indexed;

    /**
     * @param lines the counted lines of the file or folder of parts
     * @param cols the values a row holds, its index not counted (the caller takes it from the first line)
     * @param indexed whether each line starts with its row
     */
    public CsvStoredRows(LineIndex lines, int cols, boolean indexed) {
        this.lines = lines;
        this.cols = cols;
        this.indexed = indexed;
    }

    @Override
    public String name() {
        return lines.name();
    }

    @Override
    public long rows() {
        return lines.rows();
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Cursor open(long firstRow, Configuration conf) {
        LineIndex.Lines reader = lines.open(firstRow, conf);
        int width = indexed ? cols + 1 : cols;
        CsvRows rows = new CsvRows(width, indexed ? "the row, then the columns of " + lines.name()
                : "the columns of " + lines.name());
        double[] line = new double[width];
        return new Cursor() {
            private long row = firstRow;

            @Override
            public void read(int count, double[] dest) {
                for (int r = 0; r < count; r++, row++) {
                    reader.next();
                    if (!indexed) {
                        rows.parse(reader.bytes(), reader.start(), reader.end(), reader.file(), reader.lineNumber(),
                                dest, r * cols);
                        continue;
                    }
                    rows.parse(reader.bytes(), reader.start(), reader.end(), reader.file(), reader.lineNumber(),
                            line, 0);
                    if (line[0] != row) {
                        throw new InputException(reader.file(), reader.lineNumber(), "holds row "
                                + (line[0] == (long) line[0] ? String.valueOf((long) line[0]) : line[0]) + " where row " + row + " belongs: the parts must hold every row once, in order");
                    }
                    System.arraycopy(line, 1, dest, r * cols, cols);
                }
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }
}
