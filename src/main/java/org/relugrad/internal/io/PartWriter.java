package org.relugrad.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link RowWriter} for one part file, whatever its format: write errors name the part, it is closed at most
 * once, and it finishes only when it holds every row planned for it.
 */
public abstract class PartWriter implements RowWriter {
    /** Rows planned when the count is not known in advance. */
    public static final long ANY_ROWS = -1;

    protected final String name;
    private final long plannedRows;
    private long written;
    private boolean closed;

    /** @param plannedRows the rows the part must hold to finish, or {@link #ANY_ROWS} */
    public PartWriter(String name, long plannedRows) {
        this.name = name;
        this.plannedRows = plannedRows;
    }

    /** Writes rows in the part's format. */
    protected abstract void writeRows(long firstRow, int rows, double[] values) throws IOException;

    /** Flushes and closes the part's output. */
    protected abstract void closeOutput() throws IOException;

    @Override
    public final void write(long firstRow, int rows, double[] values) {
        try {
            writeRows(firstRow, rows, values);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        written += rows;
    }

    @Override
    public final String finish() {
        if (plannedRows != ANY_ROWS && written != plannedRows) {
            throw new IllegalStateException(name + ": wrote " + written + " rows of the " + plannedRows + " planned");
        }
        close();
        return name;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }
}
