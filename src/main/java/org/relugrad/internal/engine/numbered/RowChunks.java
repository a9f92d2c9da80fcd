package org.relugrad.internal.engine.numbered;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRows;

/**
 * Numbered rows of X and Y, one object each as a program holds them, cut into chunks of primitive arrays for
 * {@link NumberedBlocks}. Each row is checked as it is copied: X d values wide, Y k, every value finite. The first
 * bad row ends the chunks with a chunk that holds only its error.
 */
final class RowChunks implements Iterator<NumberedRows> {
    /** Rows put in one chunk. */
    static final int CHUNK_ROWS = 4096;

    /** One row as a program holds it; {@code x} or {@code y} null where the row has none. */
    record Row(long number, double[] x, double[] y) {
    }

    /** What the rows are called in messages: the source ("Dataset") and the names of X's and Y's columns. */
    record Names(String source, String x, String y, long widthRow) implements java.io.Serializable {
    }

    private final Iterator<Row> rows;
    private final Names names;
    private final int d;
    private final int k;
    private boolean failed;

    /**
     * @param rows the rows; {@code next()} may throw an {@link InputException} for a row it cannot read
     * @param names for messages; {@code widthRow} is the row whose widths gave d and k
     */
    RowChunks(Iterator<Row> rows, Names names, int d, int k) {
        this.rows = rows;
        this.names = names;
        this.d = d;
        this.k = k;
    }

    @Override
    public boolean hasNext() {
        if (failed) {
            return false;
        }
        try {
            return rows.hasNext();
        } catch (InputException e) {
            return true;
        }
    }

    @Override
    public NumberedRows next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long[] numbers = new long[CHUNK_ROWS];
        double[] x = new double[CHUNK_ROWS * d];
        double[] y = new double[CHUNK_ROWS * k];
        int count = 0;
        try {
            while (count < CHUNK_ROWS && rows.hasNext()) {
                Row row = rows.next();
                copy(row.number(), row.x(), names.x(), d, x, count);
                copy(row.number(), row.y(), names.y(), k, y, count);
                numbers[count++] = row.number();
            }
        } catch (InputException e) {
            failed = true;
            return new NumberedRows(e.error());
        }
        if (count < CHUNK_ROWS) {
            numbers = java.util.Arrays.copyOf(numbers, count);
            x = java.util.Arrays.copyOf(x, count * d);
            y = java.util.Arrays.copyOf(y, count * k);
        }
        return new NumberedRows(count, numbers, x, y);
    }

    private void copy(long number, double[] values, String column, int width, double[] to, int at) {
        if (values == null) {
            throw new InputException(InputError.atRow(names.source(), number, column + " is null"));
        }
        if (values.length != width) {
            throw new InputException(InputError.atRow(names.source(), number, column + " has " + values.length
                    + " values, but row " + names.widthRow() + "'s has " + width));
        }
        for (int c = 0; c < width; c++) {
            if (!Double.isFinite(values[c])) {
                throw new InputException(InputError.atRow(names.source(), number,
                        (Double.isNaN(values[c]) ? "NaN" : "infinity") + " in " + column + ", at " + c));
            }
        }
        System.arraycopy(values, 0, to, at * width, width);
    }
}
