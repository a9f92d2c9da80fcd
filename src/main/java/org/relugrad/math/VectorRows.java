package org.relugrad.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FusedKernel}'s arithmetic on the JDK Vector API, four rows per step: each lane is one column j of the
 * rows (or, for ∂f/∂X, one column l of X) and does exactly the operations {@link PlainRows} does for its entry, so
 * the bits are the same.
 *
 * <p>A step is cut into a few methods that hand the four rows' R and G on through a 4 × k scratch row in L1 cache:
 * the JIT compiles each into vector instructions only while a method stays small enough to be inlined whole, and a
 * vector passed between methods that are not would be boxed on the heap.
 */
final class VectorRows {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = S.length();
    private static final int STEP = FusedKernel.ROWS_PER_STEP;

    private VectorRows() {
    }

    /**
     * Whether this code runs k columns (and is worth it): k a multiple of the lane count, on hardware whose own
     * vectors are at least as wide (elsewhere the API would emulate them slowly).
     */
    static boolean fits(int d, int k) {
        return k % L == 0 && DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
    }

    /** The block's first rows in steps of four, from row 0; returns how many it did. */
    static int run(FusedKernel f, double[] x, double[] y, int rows, double[] dw, double[] dx, double[] dy) {
        int d = f.d;
        int k = f.k;
        int steps = rows / STEP;
        for (int step = 0; step < steps; step++) {
            int i = step * STEP;
            for (int c = 0; c < k; c += L) {
                residuals(f, x, y, i, c, dy);
            }
            for (int c = 0; c < k; c += L) {
                addSquares(f, c);
            }
            if (f.wantDW) {
                for (int l = 0; l < d; l++) {
                    addToDW(f, x, i, l, dw);
                }
            }
            if (f.wantDX) {
                for (int q = 0; q < STEP; q++) {
                    rowOfDX(f, q * k, dx, (i + q) * d);
                }
            }
        }
        return steps * STEP;
    }

    /** Columns [c, c + L) of rows i … i + 3: z, then r and g into the scratch rows, −2r into dy where wanted. */
    private static void residuals(FusedKernel f, double[] x, double[] y, int i, int c, double[] dy) {
        int d = f.d;
        int k = f.k;
        double[] w = f.w;
        int x0 = i * d;
        int x1 = x0 + d;
        int x2 = x1 + d;
        int x3 = x2 + d;
        DoubleVector wl = DoubleVector.fromArray(S, w, c);
        DoubleVector z0 = wl.mul(x[x0]);
        DoubleVector z1 = wl.mul(x[x1]);
        DoubleVector z2 = wl.mul(x[x2]);
        DoubleVector z3 = wl.mul(x[x3]);
        for (int l = 1; l < d; l++) {
            wl = DoubleVector.fromArray(S, w, l * k + c);
            z0 = wl.fma(broadcast(x[x0 + l]), z0);
            z1 = wl.fma(broadcast(x[x1 + l]), z1);
            z2 = wl.fma(broadcast(x[x2 + l]), z2);
            z3 = wl.fma(broadcast(x[x3 + l]), z3);
        }
        int at = i * k + c;
        residual(f, z0, y, at, c, dy);
        residual(f, z1, y, at + k, k + c, dy);
        residual(f, z2, y, at + 2 * k, 2 * k + c, dy);
        residual(f, z3, y, at + 3 * k, 3 * k + c, dy);
    }

    /** One row's r = max(z, 0) − y and g = 2r where max(z, 0) ≠ 0 (z ≤ 0 is false for NaN, as in PlainRows). */
    private static void residual(FusedKernel f, DoubleVector z, double[] y, int at, int scratchAt, double[] dy) {
        VectorMask<Double> off = z.compare(VectorOperators.LE, 0.0);
        DoubleVector r = z.blend(0.0, off).sub(DoubleVector.fromArray(S, y, at));
        r.intoArray(f.r, scratchAt);
        r.add(r).blend(0.0, off).intoArray(f.g, scratchAt);
        if (f.wantDY) {
            r.mul(-2.0).intoArray(dy, at);
        }
    }

    /** The scratch rows' r² into their running double-doubles, at (q, columns [c, c + L)) for row q of the step. */
    private static void addSquares(FusedKernel f, int c) {
        int k = f.k;
        double[] r = f.r;
        for (int at = c; at < STEP * k; at += k) {
            DoubleVector sum = DoubleVector.fromArray(S, f.lossSum, at);
            DoubleVector rq = DoubleVector.fromArray(S, r, at);
            DoubleVector p = rq.mul(rq);
            DoubleVector t = sum.add(p);
            DoubleVector bVirtual = t.sub(sum);
            DoubleVector addError = sum.sub(t.sub(bVirtual)).add(p.sub(bVirtual));
            DoubleVector error = DoubleVector.fromArray(S, f.lossError, at);
            error.add(rq.fma(rq, p.neg()).add(addError)).intoArray(f.lossError, at);
            t.intoArray(f.lossSum, at);
        }
    }

    /** Row l of ∂f/∂W += x_{i…i+3, l} ⊗ the scratch rows of G, one row after the other. */
    private static void addToDW(FusedKernel f, double[] x, int i, int l, double[] dw) {
        int d = f.d;
        int k = f.k;
        double[] g = f.g;
        double x0 = x[i * d + l];
        double x1 = x[(i + 1) * d + l];
        double x2 = x[(i + 2) * d + l];
        double x3 = x[(i + 3) * d + l];
        for (int c = 0; c < k; c += L) {
            int at = l * k + c;
            DoubleVector s = DoubleVector.fromArray(S, dw, at);
            s = DoubleVector.fromArray(S, g, c).fma(broadcast(x0), s);
            s = DoubleVector.fromArray(S, g, k + c).fma(broadcast(x1), s);
            s = DoubleVector.fromArray(S, g, 2 * k + c).fma(broadcast(x2), s);
            s = DoubleVector.fromArray(S, g, 3 * k + c).fma(broadcast(x3), s);
            s.intoArray(dw, at);
        }
    }

    /** A row's ∂f/∂X from its g (k values at gAt in the scratch): one lane per column l of X. */
    private static void rowOfDX(FusedKernel f, int gAt, double[] dx, int at) {
        int d = f.d;
        int k = f.k;
        double[] g = f.g;
        double[] wt = f.wt;
        int l = 0;
        for (; l + L <= d; l += L) {
            DoubleVector s = DoubleVector.fromArray(S, wt, l).mul(g[gAt]);
            for (int j = 1; j < k; j++) {
                s = DoubleVector.fromArray(S, wt, j * d + l).fma(broadcast(g[gAt + j]), s);
            }
            s.intoArray(dx, at + l);
        }
        PlainRows.rowOfDX(f, g, gAt, dx, at, l);
    }

    private static DoubleVector broadcast(double v) {
        return DoubleVector.broadcast(S, v);
    }
}
