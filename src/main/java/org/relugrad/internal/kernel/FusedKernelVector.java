package org.relugrad.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FusedKernel}'s arithmetic on the JDK Vector API: each lane is one entry (a column j of a row, or for ∂f/∂X
 * a column l of X) and does exactly the operations {@link FusedKernelScalar} does for it, so the bits are the same.
 *
 * <p>The rows go in tiles of {@link FusedKernel#TILE_ROWS}, each in a few passes, one method each: Z eight rows at a
 * time into the kernel's tile (in L1 cache), R and G over the tile in place, the loss, ∂f/∂W and ∂f/∂X. The JIT
 * compiles a method into vector instructions only while it is small enough to be inlined whole, and a vector passed
 * between methods that are not would be boxed on the heap; a tile makes each call do enough work. Columns go in the
 * machine's widest vectors ({@link #WIDE}); where k is half their width, two rows share one.
 */
final class FusedKernelVector {
    /**
     * The widest vectors the hardware has: 8 doubles with AVX-512, 4 with AVX2. One shape only, the one the JDK's
     * own vector BLAS uses too: where vectors of two shapes pass through the same Vector API methods, the JIT no
     * longer knows their class at a loop's end and boxes them.
     */
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;
    private static final int WL = WIDE.length();
    /** For k = WL / 2: the upper half of a vector, which holds the second of two rows. */
    private static final VectorMask<Double> UPPER = VectorMask.fromLong(WIDE, (1L << WL) - (1L << (WL / 2)));
    /** For k = WL / 2: the lower half of a vector, and the upper, twice over. */
    private static final VectorShuffle<Double> LOWER_TWICE = VectorShuffle.fromOp(WIDE, lane -> lane % (WL / 2));
    private static final VectorShuffle<Double> UPPER_TWICE =
            VectorShuffle.fromOp(WIDE, lane -> WL / 2 + lane % (WL / 2));
    private static final int STEP = FusedKernel.ROWS_PER_STEP;
    /** Rows that {@link #products} takes at once; the tiles are multiples of it. */
    private static final int ROWS_AT_ONCE = 8;

    private FusedKernelVector() {
    }

    /**
     * Whether this code runs k columns (and is worth it): k a multiple of the lane count, or half of it (two rows to a
     * vector), on hardware with vectors of at least 4 doubles (below that the API gains little).
     */
    static boolean fits(int d, int k) {
        return (k % WL == 0 || 2 * k == WL) && WL >= 4;
    }

    /** The block's first rows, from row 0, a multiple of eight; returns how many it did. */
    static int run(FusedKernel f, double[] x, double[] y, int rows, double[] dw, double[] dx, double[] dy) {
        int k = f.k;
        int done = rows - rows % ROWS_AT_ONCE;
        for (int i = 0; i < done; i += FusedKernel.TILE_ROWS) {
            int n = Math.min(FusedKernel.TILE_ROWS, done - i);
            if (k % WL == 0) {
                products(f, x, i, n);
            } else {
                pairedProducts(f, x, i, n);
            }
            residuals(f, y, i, n, dy);
            addSquares(f, n);
            if (f.wantDW) {
                if (k % WL == 0) {
                    addToDW(f, x, i, n, dw);
                } else {
                    addToPairedDW(f, x, i, n, dw);
                }
            }
            if (f.wantDB) {
                addToDB(f, n, dw);
            }
            if (f.wantDX) {
                tileOfDX(f, i, n, dx);
            }
        }
        return done;
    }

    /**
     * z = x W for rows [i, i + n), eight rows at a time, by two vectors of columns (sixteen chains of fma side by
     * side, each x broadcast serving two), into the tile; k is a multiple of WL, and a last single vector of
     * columns goes eight chains wide.
     */
    private static void products(FusedKernel f, double[] x, int i, int n) {
        int d = f.d;
        int k = f.k;
        double[] w = f.w;
        double[] z = f.r;
        for (int q = 0; q < n; q += 8) {
            int x0 = (i + q) * d;
            int c = 0;
            for (; c + 2 * WL <= k; c += 2 * WL) {
                DoubleVector wl = DoubleVector.fromArray(WIDE, w, c);
                DoubleVector wh = DoubleVector.fromArray(WIDE, w, c + WL);
                DoubleVector b0 = DoubleVector.broadcast(WIDE, x[x0]);
                DoubleVector b1 = DoubleVector.broadcast(WIDE, x[x0 + d]);
                DoubleVector b2 = DoubleVector.broadcast(WIDE, x[x0 + 2 * d]);
                DoubleVector b3 = DoubleVector.broadcast(WIDE, x[x0 + 3 * d]);
                DoubleVector b4 = DoubleVector.broadcast(WIDE, x[x0 + 4 * d]);
                DoubleVector b5 = DoubleVector.broadcast(WIDE, x[x0 + 5 * d]);
                DoubleVector b6 = DoubleVector.broadcast(WIDE, x[x0 + 6 * d]);
                DoubleVector b7 = DoubleVector.broadcast(WIDE, x[x0 + 7 * d]);
                DoubleVector z0 = wl.mul(b0);
                DoubleVector z1 = wl.mul(b1);
                DoubleVector z2 = wl.mul(b2);
                DoubleVector z3 = wl.mul(b3);
                DoubleVector z4 = wl.mul(b4);
                DoubleVector z5 = wl.mul(b5);
                DoubleVector z6 = wl.mul(b6);
                DoubleVector z7 = wl.mul(b7);
                DoubleVector y0 = wh.mul(b0);
                DoubleVector y1 = wh.mul(b1);
                DoubleVector y2 = wh.mul(b2);
                DoubleVector y3 = wh.mul(b3);
                DoubleVector y4 = wh.mul(b4);
                DoubleVector y5 = wh.mul(b5);
                DoubleVector y6 = wh.mul(b6);
                DoubleVector y7 = wh.mul(b7);
                for (int l = 1; l < d; l++) {
                    wl = DoubleVector.fromArray(WIDE, w, l * k + c);
                    wh = DoubleVector.fromArray(WIDE, w, l * k + c + WL);
                    int xl = x0 + l;
                    b0 = DoubleVector.broadcast(WIDE, x[xl]);
                    b1 = DoubleVector.broadcast(WIDE, x[xl + d]);
                    b2 = DoubleVector.broadcast(WIDE, x[xl + 2 * d]);
                    b3 = DoubleVector.broadcast(WIDE, x[xl + 3 * d]);
                    b4 = DoubleVector.broadcast(WIDE, x[xl + 4 * d]);
                    b5 = DoubleVector.broadcast(WIDE, x[xl + 5 * d]);
                    b6 = DoubleVector.broadcast(WIDE, x[xl + 6 * d]);
                    b7 = DoubleVector.broadcast(WIDE, x[xl + 7 * d]);
                    z0 = wl.fma(b0, z0);
                    z1 = wl.fma(b1, z1);
                    z2 = wl.fma(b2, z2);
                    z3 = wl.fma(b3, z3);
                    z4 = wl.fma(b4, z4);
                    z5 = wl.fma(b5, z5);
                    z6 = wl.fma(b6, z6);
                    z7 = wl.fma(b7, z7);
                    y0 = wh.fma(b0, y0);
                    y1 = wh.fma(b1, y1);
                    y2 = wh.fma(b2, y2);
                    y3 = wh.fma(b3, y3);
                    y4 = wh.fma(b4, y4);
                    y5 = wh.fma(b5, y5);
                    y6 = wh.fma(b6, y6);
                    y7 = wh.fma(b7, y7);
                }
                int at = q * k + c;
                z0.intoArray(z, at);
                z1.intoArray(z, at + k);
                z2.intoArray(z, at + 2 * k);
                z3.intoArray(z, at + 3 * k);
                z4.intoArray(z, at + 4 * k);
                z5.intoArray(z, at + 5 * k);
                z6.intoArray(z, at + 6 * k);
                z7.intoArray(z, at + 7 * k);
                at += WL;
                y0.intoArray(z, at);
                y1.intoArray(z, at + k);
                y2.intoArray(z, at + 2 * k);
                y3.intoArray(z, at + 3 * k);
                y4.intoArray(z, at + 4 * k);
                y5.intoArray(z, at + 5 * k);
                y6.intoArray(z, at + 6 * k);
                y7.intoArray(z, at + 7 * k);
            }
            for (; c < k; c += WL) {
                DoubleVector wl = DoubleVector.fromArray(WIDE, w, c);
                DoubleVector z0 = wl.mul(x[x0]);
                DoubleVector z1 = wl.mul(x[x0 + d]);
                DoubleVector z2 = wl.mul(x[x0 + 2 * d]);
                DoubleVector z3 = wl.mul(x[x0 + 3 * d]);
                DoubleVector z4 = wl.mul(x[x0 + 4 * d]);
                DoubleVector z5 = wl.mul(x[x0 + 5 * d]);
                DoubleVector z6 = wl.mul(x[x0 + 6 * d]);
                DoubleVector z7 = wl.mul(x[x0 + 7 * d]);
                for (int l = 1; l < d; l++) {
                    wl = DoubleVector.fromArray(WIDE, w, l * k + c);
                    int xl = x0 + l;
                    z0 = wl.fma(DoubleVector.broadcast(WIDE, x[xl]), z0);
                    z1 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + d]), z1);
                    z2 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 2 * d]), z2);
                    z3 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 3 * d]), z3);
                    z4 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 4 * d]), z4);
                    z5 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 5 * d]), z5);
                    z6 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 6 * d]), z6);
                    z7 = wl.fma(DoubleVector.broadcast(WIDE, x[xl + 7 * d]), z7);
                }
                int at = q * k + c;
                z0.intoArray(z, at);
                z1.intoArray(z, at + k);
                z2.intoArray(z, at + 2 * k);
                z3.intoArray(z, at + 3 * k);
                z4.intoArray(z, at + 4 * k);
                z5.intoArray(z, at + 5 * k);
                z6.intoArray(z, at + 6 * k);
                z7.intoArray(z, at + 7 * k);
            }
        }
    }

    /**
     * As {@link #products}, for k = WL / 2: rows q and q + 1 in one vector, x_{q,l} in its lower half and
     * x_{q+1,l} in its upper, times row l of W twice over.
     */
    private static void pairedProducts(FusedKernel f, double[] x, int i, int n) {
        int d = f.d;
        int k = f.k;
        double[] wTwice = f.wTwice;
        double[] z = f.r;
        for (int q = 0; q < n; q += STEP) {
            int x0 = (i + q) * d;
            int x1 = x0 + d;
            int x2 = x1 + d;
            int x3 = x2 + d;
            DoubleVector wl = DoubleVector.fromArray(WIDE, wTwice, 0);
            DoubleVector z01 = wl.mul(DoubleVector.broadcast(WIDE, x[x0]).blend(x[x1], UPPER));
            DoubleVector z23 = wl.mul(DoubleVector.broadcast(WIDE, x[x2]).blend(x[x3], UPPER));
            for (int l = 1; l < d; l++) {
                wl = DoubleVector.fromArray(WIDE, wTwice, l * WL);
                z01 = wl.fma(DoubleVector.broadcast(WIDE, x[x0 + l]).blend(x[x1 + l], UPPER), z01);
                z23 = wl.fma(DoubleVector.broadcast(WIDE, x[x2 + l]).blend(x[x3 + l], UPPER), z23);
            }
            z01.intoArray(z, q * k);
            z23.intoArray(z, (q + 2) * k);
        }
    }

    /**
     * Over the tile's n·k entries (a multiple of WL, as n is of 4 and 2k of WL), in place: z + b with a bias (b
     * twice over, so that a vector of it starts at e mod 2k; the same addition the plain-Java code does last), r = max(z, 0) − y and
     * g = 2r where max(z, 0) ≠ 0 (z ≤ 0 is false for NaN, as in FusedKernelScalar), −2r into dy where wanted.
     */
    private static void residuals(FusedKernel f, double[] y, int i, int n, double[] dy) {
        double[] zr = f.r;
        double[] g = f.g;
        int first = i * f.k;
        double[] b = f.bTwice;
        for (int e = 0; e < n * f.k; e += WL) {
            DoubleVector z = DoubleVector.fromArray(WIDE, zr, e);
            if (f.bias) {
                z = z.add(DoubleVector.fromArray(WIDE, b, e % b.length));
            }
            VectorMask<Double> off = z.compare(VectorOperators.LE, 0.0);
            DoubleVector r = z.blend(0.0, off).sub(DoubleVector.fromArray(WIDE, y, first + e));
            r.intoArray(zr, e);
            r.add(r).blend(0.0, off).intoArray(g, e);
            if (f.wantDY) {
                r.mul(-2.0).intoArray(dy, first + e);
            }
        }
    }

    /**
     * The tile's r², row after row, into the running double-doubles at ((i mod 4)·k + j); 4k is a multiple of WL.
     * Two vectors of them at a time where there are, so that two chains of dependent additions run side by side.
     */
    private static void addSquares(FusedKernel f, int n) {
        int k = f.k;
        double[] r = f.r;
        int at = 0;
        for (; at + 2 * WL <= STEP * k; at += 2 * WL) {
            DoubleVector sum = DoubleVector.fromArray(WIDE, f.lossSum, at);
            DoubleVector error = DoubleVector.fromArray(WIDE, f.lossError, at);
            DoubleVector sum2 = DoubleVector.fromArray(WIDE, f.lossSum, at + WL);
            DoubleVector error2 = DoubleVector.fromArray(WIDE, f.lossError, at + WL);
            for (int q = 0; q < n; q += STEP) {
                DoubleVector rq = DoubleVector.fromArray(WIDE, r, q * k + at);
                DoubleVector rq2 = DoubleVector.fromArray(WIDE, r, q * k + at + WL);
                DoubleVector p = rq.mul(rq);
                DoubleVector p2 = rq2.mul(rq2);
                DoubleVector t = sum.add(p);
                DoubleVector t2 = sum2.add(p2);
                DoubleVector bVirtual = t.sub(sum);
                DoubleVector bVirtual2 = t2.sub(sum2);
                DoubleVector addError = sum.sub(t.sub(bVirtual)).add(p.sub(bVirtual));
                DoubleVector addError2 = sum2.sub(t2.sub(bVirtual2)).add(p2.sub(bVirtual2));
                error = error.add(rq.fma(rq, p.neg()).add(addError));
                error2 = error2.add(rq2.fma(rq2, p2.neg()).add(addError2));
                sum = t;
                sum2 = t2;
            }
            sum.intoArray(f.lossSum, at);
            error.intoArray(f.lossError, at);
            sum2.intoArray(f.lossSum, at + WL);
            error2.intoArray(f.lossError, at + WL);
        }
        for (; at < STEP * k; at += WL) {
            DoubleVector sum = DoubleVector.fromArray(WIDE, f.lossSum, at);
            DoubleVector error = DoubleVector.fromArray(WIDE, f.lossError, at);
            for (int q = 0; q < n; q += STEP) {
                DoubleVector rq = DoubleVector.fromArray(WIDE, r, q * k + at);
                DoubleVector p = rq.mul(rq);
                DoubleVector t = sum.add(p);
                DoubleVector bVirtual = t.sub(sum);
                DoubleVector addError = sum.sub(t.sub(bVirtual)).add(p.sub(bVirtual));
                error = error.add(rq.fma(rq, p.neg()).add(addError));
                sum = t;
            }
            sum.intoArray(f.lossSum, at);
            error.intoArray(f.lossError, at);
        }
    }

    /**
     * ∂f/∂W += x_q ⊗ g_q for the tile's rows [i, i + n), one row after the other, in the columns that fill whole
     * wide vectors; four rows of ∂f/∂W by two vectors of columns at a time, so that eight chains of fma run side by
     * side (four rows by one vector where k leaves one over).
     */
    private static void addToDW(FusedKernel f, double[] x, int i, int n, double[] dw) {
        int d = f.d;
        int k = f.k;
        double[] g = f.g;
        int l = 0;
        for (; l + 4 <= d; l += 4) {
            int c = 0;
            for (; c + 2 * WL <= k; c += 2 * WL) {
                int at = l * k + c;
                DoubleVector s0 = DoubleVector.fromArray(WIDE, dw, at);
                DoubleVector s1 = DoubleVector.fromArray(WIDE, dw, at + k);
                DoubleVector s2 = DoubleVector.fromArray(WIDE, dw, at + 2 * k);
                DoubleVector s3 = DoubleVector.fromArray(WIDE, dw, at + 3 * k);
                DoubleVector u0 = DoubleVector.fromArray(WIDE, dw, at + WL);
                DoubleVector u1 = DoubleVector.fromArray(WIDE, dw, at + k + WL);
                DoubleVector u2 = DoubleVector.fromArray(WIDE, dw, at + 2 * k + WL);
                DoubleVector u3 = DoubleVector.fromArray(WIDE, dw, at + 3 * k + WL);
                for (int q = 0; q < n; q++) {
                    DoubleVector gq = DoubleVector.fromArray(WIDE, g, q * k + c);
                    DoubleVector hq = DoubleVector.fromArray(WIDE, g, q * k + c + WL);
                    int xq = (i + q) * d + l;
                    DoubleVector x0 = DoubleVector.broadcast(WIDE, x[xq]);
                    DoubleVector x1 = DoubleVector.broadcast(WIDE, x[xq + 1]);
                    DoubleVector x2 = DoubleVector.broadcast(WIDE, x[xq + 2]);
                    DoubleVector x3 = DoubleVector.broadcast(WIDE, x[xq + 3]);
                    s0 = gq.fma(x0, s0);
                    s1 = gq.fma(x1, s1);
                    s2 = gq.fma(x2, s2);
                    s3 = gq.fma(x3, s3);
                    u0 = hq.fma(x0, u0);
                    u1 = hq.fma(x1, u1);
                    u2 = hq.fma(x2, u2);
                    u3 = hq.fma(x3, u3);
                }
                s0.intoArray(dw, at);
                s1.intoArray(dw, at + k);
                s2.intoArray(dw, at + 2 * k);
                s3.intoArray(dw, at + 3 * k);
                u0.intoArray(dw, at + WL);
                u1.intoArray(dw, at + k + WL);
                u2.intoArray(dw, at + 2 * k + WL);
                u3.intoArray(dw, at + 3 * k + WL);
            }
            for (; c + WL <= k; c += WL) {
                int at = l * k + c;
                DoubleVector s0 = DoubleVector.fromArray(WIDE, dw, at);
                DoubleVector s1 = DoubleVector.fromArray(WIDE, dw, at + k);
                DoubleVector s2 = DoubleVector.fromArray(WIDE, dw, at + 2 * k);
                DoubleVector s3 = DoubleVector.fromArray(WIDE, dw, at + 3 * k);
                for (int q = 0; q < n; q++) {
                    DoubleVector gq = DoubleVector.fromArray(WIDE, g, q * k + c);
                    int xq = (i + q) * d + l;
                    s0 = gq.fma(DoubleVector.broadcast(WIDE, x[xq]), s0);
                    s1 = gq.fma(DoubleVector.broadcast(WIDE, x[xq + 1]), s1);
                    s2 = gq.fma(DoubleVector.broadcast(WIDE, x[xq + 2]), s2);
                    s3 = gq.fma(DoubleVector.broadcast(WIDE, x[xq + 3]), s3);
                }
                s0.intoArray(dw, at);
                s1.intoArray(dw, at + k);
                s2.intoArray(dw, at + 2 * k);
                s3.intoArray(dw, at + 3 * k);
            }
        }
        for (; l < d; l++) {
            for (int c = 0; c + WL <= k; c += WL) {
                int at = l * k + c;
                DoubleVector s = DoubleVector.fromArray(WIDE, dw, at);
                for (int q = 0; q < n; q++) {
                    s = DoubleVector.fromArray(WIDE, g, q * k + c).fma(
                            DoubleVector.broadcast(WIDE, x[(i + q) * d + l]), s);
                }
                s.intoArray(dw, at);
            }
        }
    }

    /**
     * ∂f/∂b += g for the tile's n rows, one row after the other, into ∂f/∂W's row d; where 2k = WL, in plain Java
     * (a vector would hold two rows, and add them in another order).
     */
    private static void addToDB(FusedKernel f, int n, double[] dw) {
        int k = f.k;
        int at = f.d * k;
        double[] g = f.g;
        if (k % WL != 0) {
            for (int q = 0; q < n; q++) {
                FusedKernelScalar.addToDB(g, q * k, k, dw, at);
            }
            return;
        }
        for (int c = 0; c < k; c += WL) {
            DoubleVector s = DoubleVector.fromArray(WIDE, dw, at + c);
            for (int q = 0; q < n; q++) {
                s = s.add(DoubleVector.fromArray(WIDE, g, q * k + c));
            }
            s.intoArray(dw, at + c);
        }
    }

    /**
     * As {@link #addToDW}, for k = WL / 2: rows l and l + 1 of ∂f/∂W in one vector, x_{q,l} ⊗ g_q in its lower half
     * and x_{q,l+1} ⊗ g_q in its upper, two such vectors at a time where d allows; an odd last row of ∂f/∂W in
     * plain Java.
     */
    private static void addToPairedDW(FusedKernel f, double[] x, int i, int n, double[] dw) {
        int d = f.d;
        int k = f.k;
        double[] g = f.g;
        int l = 0;
        for (; l + 4 <= d; l += 4) {
            // Rows l, l + 1 of ∂f/∂W in s and l + 2, l + 3 in t: two chains side by side, one rearranged g for both.
            int at = l * k;
            DoubleVector s = DoubleVector.fromArray(WIDE, dw, at);
            DoubleVector t = DoubleVector.fromArray(WIDE, dw, at + WL);
            for (int q = 0; q < n; q += 2) {
                DoubleVector pair = DoubleVector.fromArray(WIDE, g, q * k);
                DoubleVector lower = pair.rearrange(LOWER_TWICE);
                DoubleVector upper = pair.rearrange(UPPER_TWICE);
                int xq = (i + q) * d + l;
                s = lower.fma(DoubleVector.broadcast(WIDE, x[xq]).blend(x[xq + 1], UPPER), s);
                t = lower.fma(DoubleVector.broadcast(WIDE, x[xq + 2]).blend(x[xq + 3], UPPER), t);
                s = upper.fma(DoubleVector.broadcast(WIDE, x[xq + d]).blend(x[xq + d + 1], UPPER), s);
                t = upper.fma(DoubleVector.broadcast(WIDE, x[xq + d + 2]).blend(x[xq + d + 3], UPPER), t);
            }
            s.intoArray(dw, at);
            t.intoArray(dw, at + WL);
        }
        for (; l + 2 <= d; l += 2) {
            int at = l * k;
            DoubleVector s = DoubleVector.fromArray(WIDE, dw, at);
            for (int q = 0; q < n; q += 2) {
                DoubleVector pair = DoubleVector.fromArray(WIDE, g, q * k);
                int xq = (i + q) * d + l;
                s = pair.rearrange(LOWER_TWICE).fma(DoubleVector.broadcast(WIDE, x[xq]).blend(x[xq + 1], UPPER), s);
                s = pair.rearrange(UPPER_TWICE).fma(
                        DoubleVector.broadcast(WIDE, x[xq + d]).blend(x[xq + d + 1], UPPER), s);
            }
            s.intoArray(dw, at);
        }
        if (l < d) {
            for (int q = 0; q < n; q++) {
                double xl = x[(i + q) * d + l];
                for (int j = 0; j < k; j++) {
                    dw[l * k + j] = Math.fma(xl, g[q * k + j], dw[l * k + j]);
                }
            }
        }
    }

    /**
     * The tile's rows of ∂f/∂X from their g, two rows at a time (n is even): one lane per column l of X, four vectors
     * of columns for each of the two rows, so that eight chains of fma run side by side and each vector of Wᵀ loaded
     * serves both; the columns left over in plain Java.
     */
    private static void tileOfDX(FusedKernel f, int i, int n, double[] dx) {
        int d = f.d;
        int k = f.k;
        double[] g = f.g;
        double[] wt = f.wt;
        for (int q = 0; q < n; q += 2) {
            int gAt = q * k;
            int hAt = gAt + k;
            int at = (i + q) * d;
            int at1 = at + d;
            int l = 0;
            for (; l + 4 * WL <= d; l += 4 * WL) {
                DoubleVector g0 = DoubleVector.broadcast(WIDE, g[gAt]);
                DoubleVector h0 = DoubleVector.broadcast(WIDE, g[hAt]);
                DoubleVector w0 = DoubleVector.fromArray(WIDE, wt, l);
                DoubleVector w1 = DoubleVector.fromArray(WIDE, wt, l + WL);
                DoubleVector w2 = DoubleVector.fromArray(WIDE, wt, l + 2 * WL);
                DoubleVector w3 = DoubleVector.fromArray(WIDE, wt, l + 3 * WL);
                DoubleVector s0 = w0.mul(g0);
                DoubleVector s1 = w1.mul(g0);
                DoubleVector s2 = w2.mul(g0);
                DoubleVector s3 = w3.mul(g0);
                DoubleVector t0 = w0.mul(h0);
                DoubleVector t1 = w1.mul(h0);
                DoubleVector t2 = w2.mul(h0);
                DoubleVector t3 = w3.mul(h0);
                for (int j = 1; j < k; j++) {
                    DoubleVector gj = DoubleVector.broadcast(WIDE, g[gAt + j]);
                    DoubleVector hj = DoubleVector.broadcast(WIDE, g[hAt + j]);
                    int row = j * d + l;
                    w0 = DoubleVector.fromArray(WIDE, wt, row);
                    w1 = DoubleVector.fromArray(WIDE, wt, row + WL);
                    w2 = DoubleVector.fromArray(WIDE, wt, row + 2 * WL);
                    w3 = DoubleVector.fromArray(WIDE, wt, row + 3 * WL);
                    s0 = w0.fma(gj, s0);
                    s1 = w1.fma(gj, s1);
                    s2 = w2.fma(gj, s2);
                    s3 = w3.fma(gj, s3);
                    t0 = w0.fma(hj, t0);
                    t1 = w1.fma(hj, t1);
                    t2 = w2.fma(hj, t2);
                    t3 = w3.fma(hj, t3);
                }
                s0.intoArray(dx, at + l);
                s1.intoArray(dx, at + l + WL);
                s2.intoArray(dx, at + l + 2 * WL);
                s3.intoArray(dx, at + l + 3 * WL);
                t0.intoArray(dx, at1 + l);
                t1.intoArray(dx, at1 + l + WL);
                t2.intoArray(dx, at1 + l + 2 * WL);
                t3.intoArray(dx, at1 + l + 3 * WL);
            }
            for (; l + WL <= d; l += WL) {
                DoubleVector wl = DoubleVector.fromArray(WIDE, wt, l);
                DoubleVector s = wl.mul(g[gAt]);
                DoubleVector t = wl.mul(g[hAt]);
                for (int j = 1; j < k; j++) {
                    wl = DoubleVector.fromArray(WIDE, wt, j * d + l);
                    s = wl.fma(DoubleVector.broadcast(WIDE, g[gAt + j]), s);
                    t = wl.fma(DoubleVector.broadcast(WIDE, g[hAt + j]), t);
                }
                s.intoArray(dx, at + l);
                t.intoArray(dx, at1 + l);
            }
            FusedKernelScalar.rowOfDX(f, g, gAt, dx, at, l);
            FusedKernelScalar.rowOfDX(f, g, hAt, dx, at1, l);
        }
    }
}
