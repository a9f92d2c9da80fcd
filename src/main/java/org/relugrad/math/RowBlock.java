package org.relugrad.math;

import java.io.Serializable;

/**
 * Rows {@code [firstRow, firstRow + rows)} of X (rows × d) and Y (rows × k), each row-major in one primitive
 * array. A block is the unit of work of the kernel and of the exact reduction: which rows form a block is fixed
 * by the global row index, never by how the rows were partitioned.
 */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long firstRow;
    private final int rows;
    private final int d;
    private final int k;
    private final double[] x;
    private final double[] y;

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
        return x;
    }

    /** Y's rows, row-major; may be longer than rows·k. */
    public double[] y() {
        return y;
    }
}
