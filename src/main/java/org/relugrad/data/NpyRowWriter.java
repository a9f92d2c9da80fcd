package org.relugrad.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes one partition's rows as a .npy file of its own: the header first (the partition's row count is known from
 * the plan), then the values as little-endian float64, or (for a part of one shared file) the values alone.
 */
final class NpyRowWriter implements RowWriter {
    private final OutputStream out;
    private final String name;
    private final int cols;
    private final long rows;
    private final ByteBuffer buffer;
    private long written;
    private boolean closed;

    /**
     * @param withHeader whether the part is a .npy file itself, or raw values to be placed after a shared header
     */
    NpyRowWriter(OutputStream stream, String name, long rows, int cols, boolean withHeader) {
        this.out = new BufferedOutputStream(stream, 1 << 16);
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.buffer = ByteBuffer.allocate(Math.max(cols, 1 << 13) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (withHeader) {
                out.write(NpyHeader.float64(rows, cols));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(long firstRow, int count, double[] values) {
        try {
            NpyValues.write(values, count * cols, buffer, out::write);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        written += count;
    }

    @Override
    public String finish() {
        if (written != rows) {
            throw new IllegalStateException(name + ": wrote " + written + " rows of the " + rows + " planned");
        }
        close();
        return name;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }
}
