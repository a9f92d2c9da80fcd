package org.relugrad.internal.kernel;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Rows {@code [firstRow, firstRow + rows)} of X (rows × d) and Y (rows × k), each row-major in one primitive
 * array. A block is the unit of work of the kernel and of the exact reduction: which rows form a block is fixed
 * by the global row index, never by how the rows were partitioned.
 *
 * <p>A block's rows may also be made where they are needed ({@link RowMaker}, e.g. by a generator): then
 * {@link #x} and {@link #y} make them all when first asked, and the kernel instead makes them a few rows at a time,
 * each just before it computes them, so that they never leave the cache.
 */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long firstRow;
    private final int rows;
    private final int d;
    private final int k;
    private double[] x;
    private double[] y;
    /** What makes the rows, until they are made into x and y; null once they are there. */
    private transient RowMaker maker;

    /** Wraps x (rows·d values) and y (rows·k values), not copied. */
    public RowBlock(long firstRow, int rows, int d, int k, double[] x, double[] y) {
        if (firstRow < 0 || rows < 0 || d < 1 || k < 1) {
            throw new IllegalArgumentException(
                    "bad block shape: firstRow " + firstRow + ", rows " + rows + ", d " + d + ", k " + k);
        }
        if (x.length < (long) rows * d || y.length < (long) rows * k) {
            throw new IllegalArgumentException("block arrays too short for " + rows + " rows: x has "
                    + x.length + " values (d = " + d + "), y has " + y.length + " (k = " + k + ")");
        }
        this.firstRow = firstRow;
        this.rows = rows;
        this.d = d;
        this.k = k;
        this.x = x;
        this.y = y;
    }

    /**
     * A block of this one's shape whose rows {@code rowMaker} makes on demand, into this block's arrays where they are
     * long enough (the caller is done with this block).
     */
    public RowBlock madeLater(long first, int count, RowMaker rowMaker) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("bad block shape: firstRow " + first + ", rows " + count);
        }
        return new RowBlock(first, count, d, k, x, y, rowMaker);
    }

    /** What makes the rows, until they are made; null when they are in the arrays. */
    RowMaker maker() {
        return maker;
    }

    private void make() {
        if (x.length < (long) rows * d) {
            x = new double[rows * d];
        }
        if (y.length < (long) rows * k) {
            y = new double[rows * k];
        }
        maker.make(firstRow, rows, x, y);
        maker = null;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        if (maker != null) {
            make();
        }
        out.defaultWriteObject();
    }

    private RowBlock(long firstRow, int rows, int d, int k, double[] x, double[] y, RowMaker maker) {
        this.firstRow = firstRow;
        this.rows = rows;
        this.d = d;
        this.k = k;
        this.x = x;
        this.y = y;
        this.maker = maker;
    }

    public long firstRow() {
        return firstRow;
    }

    public int rows() {
        return rows;
    }

    public int d() {
        return d;
    }

    public int k() {
        return k;
    }

    /** X's rows, row-major; may be longer than rows·d. */
    public double[] x() {
        if (maker != null) {
            make();
        }
        return x;
    }

    /** Y's rows, row-major; may be longer than rows·k. */
    public double[] y() {
        if (maker != null) {
            make();
        }
        return y;
    }

    /** Makes rows of X and Y. */
    @FunctionalInterface
    public interface RowMaker {
        /** Global rows [firstRow, firstRow + count) into x (count·d values from index 0) and y (count·k). */
        void make(long firstRow, int count, double[] x, double[] y);
    }
}
