package org.relugrad.data;

import org.apache.hadoop.conf.Configuration;

/** A plain CSV matrix (one row a line, no index), read through its {@link LineIndex}. */
public final class CsvStoredRows implements StoredRows {
    private static final long serialVersionUID = 1L;

    private final LineIndex lines;
    private final int cols;

    /** @param lines the counted lines of the file; {@code cols} is taken from its first line by the caller */
    public CsvStoredRows(LineIndex lines, int cols) {
        this.lines = lines;
        this.cols = cols;
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
        CsvRows rows = new CsvRows(cols, "the columns of " + lines.name());
        return new Cursor() {
            @Override
            public void read(int count, double[] dest) {
                for (int r = 0; r < count; r++) {
                    reader.next();
                    rows.parse(reader.bytes(), reader.start(), reader.end(), reader.file(), reader.lineNumber(),
                            dest, r * cols);
                }
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }
}
