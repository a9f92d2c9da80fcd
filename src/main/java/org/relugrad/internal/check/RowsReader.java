package org.relugrad.internal.check;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.StoredRows;

/**
 * Reads a stored matrix's rows block after block in a task. A task's blocks are consecutive, so one cursor serves
 * them all; it is reopened only if a block does not follow the one before.
 */
final class RowsReader {
    private final StoredRows.Cursor cursor;
    private final int cols;
    private long nextRow;
    private double[] buffer = new double[0];

    private RowsReader(StoredRows rows, long firstRow, HadoopConf conf) {
        this.cursor = rows.open(firstRow, conf.get());
        this.cols = rows.cols();
        this.nextRow = firstRow;
    }

    /** {@code reader} if it stands at {@code row}, else a new reader there (the old one closed). */
    static RowsReader at(RowsReader reader, StoredRows rows, long row, HadoopConf conf) {
        if (reader != null && reader.nextRow == row) {
            return reader;
        }
        close(reader);
        return new RowsReader(rows, row, conf);
    }

    /** The next {@code count} rows, row-major, in a buffer valid until the next call. */
    double[] read(int count) {
        if (buffer.length < count * cols) {
            buffer = new double[count * cols];
        }
        cursor.read(count, buffer);
        nextRow += count;
        return buffer;
    }

    static void close(RowsReader reader) {
        if (reader != null) {
            reader.cursor.close();
        }
    }
}
