package org.relugrad.internal.io;

/** Writes consecutive rows of one gradient for one task attempt. */
public interface RowWriter extends AutoCloseable {

    /** Writes {@code rows} rows, {@code firstRow} first, from {@code values} (row-major, {@code cols} wide). */
    void write(long firstRow, int rows, double[] values);

    /** Flushes and closes the part; returns the name the driver passes to {@link RowSink#commit}. */
    String finish();

    /** Closes without finishing, discarding what was written. */
    @Override
    void close();
}
