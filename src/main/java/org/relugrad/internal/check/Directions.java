package org.relugrad.internal.check;

import java.io.Serializable;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;

/**
 * The random directions V = (V_W, V_X, V_Y) of a finite-difference check, entries uniform in [−1, 1), made from a
 * seed, a direction number and the element's index alone: V_X and V_Y for any rows are made inside the task that
 * holds them, identically wherever that is.
 */
final class Directions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MIX = 0xD1B54A32D192ED03L;

    private final int count;
    private final long seed;

    Directions(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--directions must be >= 1, was " + count);
        }
        this.count = count;
        this.seed = seed;
    }

    int count() {
        return count;
    }

    long seed() {
        return seed;
    }

    /** V_W of direction {@code m}, d × k. */
    Matrix w(int m, int d, int k) {
        double[] v = new double[d * k];
        SyntheticInput.fill(stream(m, 0), 0, v, v.length);
        return new Matrix(d, k, v);
    }

    /** V_b of direction {@code m}, k values. */
    double[] b(int m, int k) {
        double[] v = new double[k];
        SyntheticInput.fill(stream(m, 3), 0, v, k);
        return v;
    }

    /** Rows {@code [firstRow, firstRow + rows)} of V_X of direction {@code m} into {@code dest}, row-major. */
    void x(int m, long firstRow, int rows, int d, double[] dest) {
        SyntheticInput.fill(stream(m, 1), firstRow * d, dest, rows * d);
    }

    /** Rows {@code [firstRow, firstRow + rows)} of V_Y of direction {@code m} into {@code dest}, row-major. */
    void y(int m, long firstRow, int rows, int k, double[] dest) {
        SyntheticInput.fill(stream(m, 2), firstRow * k, dest, rows * k);
    }

    /** A stream seed per (seed, direction, tensor), hashed so it meets none of the synthetic input's streams. */
    private long stream(int m, int tensor) {
        // b's streams (tensor 3) lie apart from W's, X's and Y's, which are numbered m * 3 + tensor.
        long z = seed * MIX + (tensor == 3 ? (1L << 40) + m : m * 3L + tensor);
        z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
        z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
        return z ^ (z >>> 32);
    }
}
