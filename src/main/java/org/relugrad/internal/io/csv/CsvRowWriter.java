package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.PartWriter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rows as CSV lines {@code row,v1,...,v_cols}, each number in its shortest round-trip digits
 * ({@link ShortestDecimal}), as bytes straight into one buffer.
 */
public final class CsvRowWriter extends PartWriter {
    /** The most characters a row index takes, as in "9223372036854775807". */
    private static final int MAX_ROW_CHARS = 19;

    private final OutputStream out;
    private final int cols;
    /** The most bytes a row takes: the index, each value with its comma, the newline. */
    private final int maxRowBytes;
    /** At least one row of any values, so that a row is written with one check for room. */
    private final byte[] buffer;
    private int used;

    public CsvRowWriter(OutputStream stream, String name, int cols) {
        super(name, ANY_ROWS);
        this.out = stream;
        this.cols = cols;
        this.maxRowBytes = Math.toIntExact(MAX_ROW_CHARS + cols * (1L + ShortestDecimal.MAX_CHARS) + 1);
        this.buffer = new byte[Math.max(1 << 16, maxRowBytes)];
    }

    @Override
    protected void writeRows(long firstRow, int rows, double[] values) throws IOException {
        int at = used;
        for (int r = 0; r < rows; r++) {
            if (at + maxRowBytes > buffer.length) {
                out.write(buffer, 0, at);
                at = 0;
            }
            at = AsciiDigits.write(firstRow + r, buffer, at);
            for (int i = r * cols, end = i + cols; i < end; i++) {
                buffer[at++] = ',';
                at = ShortestDecimal.write(values[i], buffer, at);
            }
            buffer[at++] = '\n';
        }
        used = at;
    }

    @Override
    protected void closeOutput() throws IOException {
        try {
            out.write(buffer, 0, used);
            used = 0;
        } finally {
            out.close();
        }
    }
}
