package org.relugrad.data;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rows as CSV lines {@code row,v1,...,v_cols}, each number in its shortest round-trip digits
 * ({@link ShortestDecimal}), as bytes straight into one buffer.
 */
final class CsvRowWriter extends PartWriter {
    /** The most characters a row index takes, as in "9223372036854775807". */
    private static final int MAX_ROW_CHARS = 19;

    private final OutputStream out;
    private final int cols;
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    CsvRowWriter(OutputStream stream, String name, int cols) {
        super(name, ANY_ROWS);
        this.out = stream;
        this.cols = cols;
    }

    @Override
    protected void writeRows(long firstRow, int rows, double[] values) throws IOException {
        for (int r = 0; r < rows; r++) {
            makeRoom(MAX_ROW_CHARS);
            used = writeRow(firstRow + r);
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                makeRoom(1 + ShortestDecimal.MAX_CHARS);
                buffer[used++] = ',';
                used = ShortestDecimal.write(values[base + c], buffer, used);
            }
            makeRoom(1);
            buffer[used++] = '\n';
        }
    }

    /** Writes the row index's decimal digits; returns the index after the last. */
    private int writeRow(long row) {
        int length = 1;
        for (long rest = row / 10; rest > 0; rest /= 10) {
            length++;
        }
        long rest = row;
        for (int i = used + length - 1; i >= used; i--) {
            buffer[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return used + length;
    }

    private void makeRoom(int bytes) throws IOException {
        if (used + bytes > buffer.length) {
            out.write(buffer, 0, used);
            used = 0;
        }
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
