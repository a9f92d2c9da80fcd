package org.relugrad.internal.check;

import java.io.Serializable;

/**
 * The element-by-element comparison of one tensor with its expected values: how many elements, how many are not
 * close, the largest absolute and relative differences, and the worst element (the one furthest outside, or
 * nearest to, its allowed difference; the first such in row-major order). Parts from different rows merge in any
 * order to the same result.
 */
public final class TensorComparison implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String tensor;
    private final int cols;
    private final Tolerance tolerance;
    private long compared;
    private long failing;
    private double maxAbs;
    private double maxRel;
    private double worstExcess = -1;
    private long worstIndex = -1;
    private double worstGot;
    private double worstExpected;

    /** @param cols the tensor's width, to turn a flat index into (row, column) */
    public TensorComparison(String tensor, int cols, Tolerance tolerance) {
        this.tensor = tensor;
        this.cols = cols;
        this.tolerance = tolerance;
    }

    /** A comparison that passes only bit for bit (−0.0 differs from 0.0, and NaN matches nothing). */
    public static TensorComparison bitwise(String tensor, int cols) {
        return new TensorComparison(tensor, cols, null);
    }

    /**
     * Compares {@code count} values starting at flat index {@code firstIndex} (row-major over the whole tensor).
     */
    public void add(long firstIndex, double[] got, double[] expected, int count) {
        for (int i = 0; i < count; i++) {
            add(firstIndex + i, got[i], expected[i]);
        }
    }

    /** Compares one value at flat index {@code index}. */
    public void add(long index, double got, double expected) {
        compared++;
        double excess = tolerance != null ? tolerance.excess(got, expected)
                : Double.doubleToLongBits(got) == Double.doubleToLongBits(expected) && !Double.isNaN(got)
                ? 0.0 : Double.POSITIVE_INFINITY;
        if (!(excess <= 1.0)) {
            failing++;
        }
        double abs = Math.abs(got - expected);
        if (got == expected) {
            abs = 0.0;
        }
        double rel = abs == 0.0 ? 0.0 : abs / Math.abs(expected);
        maxAbs = max(maxAbs, abs);
        maxRel = max(maxRel, rel);
        if (excess > worstExcess || (excess == worstExcess && index < worstIndex)) {
            worstExcess = excess;
            worstIndex = index;
            worstGot = got;
            worstExpected = expected;
        }
    }

    /** Folds {@code other} (the same tensor, other elements) into this; returns this. */
    public TensorComparison merge(TensorComparison other) {
        compared += other.compared;
        failing += other.failing;
        maxAbs = max(maxAbs, other.maxAbs);
        maxRel = max(maxRel, other.maxRel);
        if (other.worstExcess > worstExcess
                || (other.worstExcess == worstExcess && other.worstIndex >= 0 && other.worstIndex < worstIndex)) {
            worstExcess = other.worstExcess;
            worstIndex = other.worstIndex;
            worstGot = other.worstGot;
            worstExpected = other.worstExpected;
        }
        return this;
    }

    /** NaN counts as the largest difference of all. */
    private static double max(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    public String tensor() {
        return tensor;
    }

    public boolean passed() {
        return failing == 0 && compared > 0;
    }

    public long compared() {
        return compared;
    }

    public long failing() {
        return failing;
    }

    public double maxAbs() {
        return maxAbs;
    }

    public double maxRel() {
        return maxRel;
    }

    /** The tolerance, or null for a bitwise comparison. */
    public Tolerance tolerance() {
        return tolerance;
    }

    /** The worst element's row, or −1 when nothing was compared. */
    public long worstRow() {
        return worstIndex < 0 ? -1 : worstIndex / cols;
    }

    public int worstCol() {
        return worstIndex < 0 ? -1 : (int) (worstIndex % cols);
    }

    public double worstGot() {
        return worstGot;
    }

    public double worstExpected() {
        return worstExpected;
    }
}
