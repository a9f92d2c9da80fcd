package org.relugrad;

import java.io.Serializable;

/** A small dense matrix of doubles in row-major order (W, ∂f/∂W), held whole in one JVM. */
public final class Matrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int cols;
    private final double[] values;

    /** Wraps {@code values} (row-major, not copied). */
    public Matrix(int rows, int cols, double[] values) {
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    "a " + rows + "x" + cols + " matrix needs " + (long) rows * cols + " values, got " + values.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int r, int c) {
        return values[r * cols + c];
    }

    /** The row-major values themselves, not a copy. */
    public double[] values() {
        return values;
    }
}
