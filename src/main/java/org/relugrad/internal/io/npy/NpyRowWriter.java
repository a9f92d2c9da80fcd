package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.PartWriter;

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
public final class NpyRowWriter extends PartWriter {
    private final OutputStream out;
    private final int cols;
    private final ByteBuffer buffer;

    /**
     * @param withHeader whether the part is a .npy file itself, or raw values to be placed after a shared header
     */
    public NpyRowWriter(OutputStream stream, String name, long rows, int cols, boolean withHeader) {
        super(name, rows);
        this.out = new BufferedOutputStream(stream, 1 << 16);
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

    /** A whole .npy file of one 1-D array, {@code values}: a bias's gradient, of shape (k,) as PyTorch's. */
    public static void writeVector(OutputStream stream, double[] values) throws IOException {
        try (OutputStream out = new BufferedOutputStream(stream)) {
            out.write(NpyHeader.float64Vector(values.length));
            ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            NpyValues.write(values, values.length, buffer, out::write);
        }
    }

    @Override
    protected void writeRows(long firstRow, int count, double[] values) throws IOException {
        NpyValues.write(values, count * cols, buffer, out::write);
    }

    @Override
    protected void closeOutput() throws IOException {
        out.close();
    }
}
