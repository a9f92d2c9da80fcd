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
 *
 * <p>A float32 input's block keeps its values as float32 ({@link #float32()}): half the bytes in a cache and half
 * to stream from memory at every pass. The kernel widens them to float64 a few rows at a time as it reads them
 * ({@link #widen}); widening is exact, so the results are bitwise those of the same values given as float64.
 */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long firstRow;
    private final int rows;
    private final int d;
    private final int k;
    private double[] x;
    private double[] y;
    /** A float32 block's values, row-major as x and y; null for a float64 block (then x and y are null instead). */
    private final float[] xf;
    private final float[] yf;
    /** What makes the rows, until they are made into x and y; null once they are there. */
    private transient RowMaker maker;

    /** Wraps x (rows·d values) and y (rows·k values), not copied. */
    public RowBlock(long firstRow, int rows, int d, int k, double[] x, double[] y) {
        requireShape(firstRow, rows, d, k, x.length, y.length);
        this.firstRow = firstRow;
        this.rows = rows;
        this.d = d;
        this.k = k;
        this.x = x;
        this.y = y;
        this.xf = null;
        this.yf = null;
    }

    /** @throws IllegalArgumentException for a negative first row or row count, d or k below 1, or short arrays */
    private static void requireShape(long firstRow, int rows, int d, int k, int xLength, int yLength) {
        if (firstRow < 0 || rows < 0 || d < 1 || k < 1) {
            throw new IllegalArgumentException(
                    "bad block shape: firstRow " + firstRow + ", rows " + rows + ", d " + d + ", k " + k);
        }
        if (xLength < (long) rows * d || yLength < (long) rows * k) {
            throw new IllegalArgumentException("block arrays too short for " + rows + " rows: x has "
                    + xLength + " values (d = " + d + "), y has " + yLength + " (k = " + k + ")");
        }
    }

    /**
     * Wraps float32 values x (rows·d values) and y (rows·k values), not copied: a block that stays float32 in
     * memory, for inputs stored as float32.
     */
    public RowBlock(long firstRow, int rows, int d, int k, float[] x, float[] y) {
        requireShape(firstRow, rows, d, k, x.length, y.length);
        this.firstRow = firstRow;
        this.rows = rows;
        this.d = d;
        this.k = k;
        this.x = null;
        this.y = null;
        this.xf = x;
        this.yf = y;
    }

    /**
     * A block of this one's shape whose rows {@code rowMaker} makes on demand, into this block's arrays where they are
     * long enough (the caller is done with this block).
     */
    public RowBlock madeLater(long first, int count, RowMaker rowMaker) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("bad block shape: firstRow " + first + ", rows " + count);
        }
        return xf != null ? new RowBlock(first, count, d, k, new double[0], new double[0], rowMaker)
                : new RowBlock(first, count, d, k, x, y, rowMaker);
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
        this.xf = null;
        this.yf = null;
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

    /** Whether the values are kept as float32 ({@link #xFloat}, {@link #yFloat}) rather than float64. */
    public boolean float32() {
        return xf != null;
    }

    /**
     * X's rows, row-major; may be longer than rows·d. A float32 block's are widened into a new array at each call
     * (it keeps no float64 copy, which would undo its savings): the kernel instead widens a few rows at a time.
     */
    public double[] x() {
        if (xf != null) {
            return widened(xf, rows * d);
        }
        if (maker != null) {
            make();
        }
        return x;
    }

    /** Y's rows, row-major; may be longer than rows·k. A float32 block's are widened as {@link #x}'s are. */
    public double[] y() {
        if (yf != null) {
            return widened(yf, rows * k);
        }
        if (maker != null) {
            make();
        }
        return y;
    }

    /** A float32 block's X, row-major; may be longer than rows·d. */
    public float[] xFloat() {
        requireFloat32();
        return xf;
    }

    /** A float32 block's Y, row-major; may be longer than rows·k. */
    public float[] yFloat() {
        requireFloat32();
        return yf;
    }

    /**
     * Rows {@code [from, from + count)} of a float32 block, widened to float64 (exactly) into x (count·d values from
     * index 0) and y (count·k).
     */
    void widen(int from, int count, double[] xDest, double[] yDest) {
        requireFloat32();
        widen(xf, from * d, xDest, count * d);
        widen(yf, from * k, yDest, count * k);
    }

    private static void widen(float[] src, int from, double[] dest, int count) {
        if (FusedKernel.VECTOR_API) {
            FloatWidening.widen(src, from, dest, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            dest[i] = src[from + i];
        }
    }

    private void requireFloat32() {
        if (xf == null) {
            throw new IllegalStateException("a float64 block has no float32 values");
        }
    }

    private static double[] widened(float[] values, int count) {
        double[] wide = new double[count];
        widen(values, 0, wide, count);
        return wide;
    }

    /** Makes rows of X and Y. */
    @FunctionalInterface
    public interface RowMaker {
        /** Global rows [firstRow, firstRow + count) into x (count·d values from index 0) and y (count·k). */
        void make(long firstRow, int count, double[] x, double[] y);
    }
}
