package org.relugrad.internal.kernel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Exact sums of many doubles, one per entry of a vector, rounded once at the end.
 *
 * <p>Each entry keeps its running sum as a list of non-overlapping doubles whose exact total is the exact
 * total of everything added (Shewchuk's expansions, as in Python's {@code math.fsum}). Because nothing is
 * rounded until {@link #rounded()}, the result is the exact sum rounded to nearest, whatever the order of
 * the additions and merges. That is what makes partition counts, executor counts and task retries invisible
 * in the result.
 *
 * <p>Non-finite inputs cannot be held exactly; they are summed apart in plain floating point (whose result for
 * infinities and NaN does not depend on order either) and take precedence. A running sum that passes the largest
 * double (about 1.8e308) is treated as such an input: only there can the order of additions show.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int size;
    /** Entry i's parts, counts[i] of them; written flat (see writeObject): one array per entry would be slow. */
    private transient double[][] parts;
    private final int[] counts;
    private double[] nonFinite;

    /** A vector of {@code size} sums, each zero. */
    public ExactSum(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        this.size = size;
        this.parts = new double[size][];
        this.counts = new int[size];
    }

    public int size() {
        return size;
    }

    /** Adds {@code x} exactly to entry {@code i}. */
    public void add(int i, double x) {
        if (!Double.isFinite(x)) {
            addNonFinite(i, x);
            return;
        }
        if (x == 0.0) {
            return;
        }
        double[] p = parts[i];
        if (p == null) {
            p = parts[i] = new double[4];
        }
        int n = counts[i];
        int kept = 0;
        for (int j = 0; j < n; j++) {
            double y = p[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            if (!Double.isFinite(hi)) {
                addNonFinite(i, hi);
                return;
            }
            double lo = y - (hi - x);
            if (lo != 0.0) {
                p[kept++] = lo;
            }
            x = hi;
        }
        if (kept == p.length) {
            p = parts[i] = Arrays.copyOf(p, p.length * 2);
        }
        p[kept++] = x;
        counts[i] = kept;
    }

    /** Adds {@code values[j]} to entry {@code j} for every j. */
    public void addAll(double[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("expected " + size + " values, got " + values.length);
        }
        for (int j = 0; j < size; j++) {
            add(j, values[j]);
        }
    }

    /** Adds every sum held by {@code other} into this one, exactly. */
    public void merge(ExactSum other) {
        if (other.size != size) {
            throw new IllegalArgumentException("cannot merge sums of sizes " + size + " and " + other.size);
        }
        for (int i = 0; i < size; i++) {
            double[] p = other.parts[i];
            for (int j = 0; j < other.counts[i]; j++) {
                add(i, p[j]);
            }
            if (other.nonFinite != null && other.nonFinite[i] != 0.0) {
                addNonFinite(i, other.nonFinite[i]);
            }
        }
    }

    /** Entry {@code i}: the exact sum rounded to the nearest double, ties to even. */
    public double rounded(int i) {
        if (nonFinite != null && nonFinite[i] != 0.0) {
            return nonFinite[i];
        }
        double[] p = parts[i];
        int n = counts[i];
        if (n == 0) {
            return 0.0;
        }
        // The parts are non-overlapping and grow in magnitude: add from the top until the sum stops being exact.
        double hi = p[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // hi + lo was a tie broken to even; the parts below decide which way it really goes.
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            if (y == x - hi) {
                hi = x;
            }
        }
        return hi;
    }

    /** All entries, each rounded once. */
    public double[] rounded() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = rounded(i);
        }
        return out;
    }

    /** A new sum of entries [from, to) of this one, exactly. */
    public ExactSum slice(int from, int to) {
        ExactSum out = new ExactSum(to - from);
        for (int i = from; i < to; i++) {
            double[] p = parts[i];
            for (int j = 0; j < counts[i]; j++) {
                out.add(i - from, p[j]);
            }
            if (nonFinite != null && nonFinite[i] != 0.0) {
                out.addNonFinite(i - from, nonFinite[i]);
            }
        }
        return out;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] flat = new double[total];
        int at = 0;
        for (int i = 0; i < size; i++) {
            if (counts[i] > 0) {
                System.arraycopy(parts[i], 0, flat, at, counts[i]);
                at += counts[i];
            }
        }
        out.writeObject(flat);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        double[] flat = (double[]) in.readObject();
        parts = new double[size][];
        int at = 0;
        for (int i = 0; i < size; i++) {
            if (counts[i] > 0) {
                parts[i] = new double[Math.max(4, counts[i])];
                System.arraycopy(flat, at, parts[i], 0, counts[i]);
                at += counts[i];
            }
        }
    }

    private void addNonFinite(int i, double x) {
        if (nonFinite == null) {
            nonFinite = new double[size];
        }
        nonFinite[i] += x;
    }
}
