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

    /** This matrix with {@code row} (cols values) as one more, last row: a copy, (rows + 1) × cols. */
    public Matrix withRow(double[] row) {
        if (row.length != cols) {
            throw new IllegalArgumentException("a row of a " + rows + "x" + cols + " matrix needs " + cols
                    + " values, got " + row.length);
        }
        double[] more = java.util.Arrays.copyOf(values, (rows + 1) * cols);
        System.arraycopy(row, 0, more, rows * cols, cols);
        return new Matrix(rows + 1, cols, more);
    }

    /** The first {@code count} rows: a copy. */
    public Matrix firstRows(int count) {
        return new Matrix(count, cols, java.util.Arrays.copyOf(values, count * cols));
    }

    /** Row {@code r}: a copy. */
    public double[] row(int r) {
        return java.util.Arrays.copyOfRange(values, r * cols, (r + 1) * cols);
    }
}
