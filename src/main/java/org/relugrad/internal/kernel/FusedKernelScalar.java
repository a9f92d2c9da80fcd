package org.relugrad.internal.kernel;

/**
 * {@link FusedKernel}'s arithmetic in plain Java, one row at a time: for shapes the Vector API does not run, for
 * the rows left over by its steps, and where the Vector API module is not there at all.
 */
final class FusedKernelScalar {
    private static final long INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

    private FusedKernelScalar() {
    }

    /** Rows [from, to) of the block, after the rows before them, into dw (when wanted), dx and dy (when wanted). */
    static void run(FusedKernel f, double[] x, double[] y, int from, int to, double[] dw, double[] dx, double[] dy) {
        int d = f.d;
        int k = f.k;
        double[] w = f.w;
        double[] g = f.g;
        for (int i = from; i < to; i++) {
            int xi = i * d;
            int yi = i * k;
            for (int j = 0; j < k; j++) {
                double z = x[xi] * w[j];
                for (int l = 1; l < d; l++) {
                    z = Math.fma(x[xi + l], w[l * k + j], z);
                }
                if (f.bias) {
                    z += w[d * k + j];
                }
                long zBits = Double.doubleToRawLongBits(z);
                // All ones where z > 0 or z is NaN, else zero: no branch on the signs of Z, which are coin flips.
                long passes = ((-zBits & ~zBits) | (INFINITY_BITS - (zBits & Long.MAX_VALUE))) >> 63;
                double r = Double.longBitsToDouble(zBits & passes) - y[yi + j];
                g[j] = Double.longBitsToDouble(Double.doubleToRawLongBits(r + r) & passes);
                if (f.wantDY) {
                    dy[yi + j] = -2.0 * r;
                }
                addSquare(f, (i % FusedKernel.ROWS_PER_STEP) * k + j, r);
            }
            if (f.wantDW) {
                for (int l = 0; l < d; l++) {
                    double xl = x[xi + l];
                    int row = l * k;
                    for (int j = 0; j < k; j++) {
                        dw[row + j] = Math.fma(xl, g[j], dw[row + j]);
                    }
                }
            }
            if (f.wantDB) {
                addToDB(g, 0, k, dw, d * k);
            }
            if (f.wantDX) {
                rowOfDX(f, g, 0, dx, xi, 0);
            }
        }
    }

    /** ∂f/∂b += g: the k values of g at {@code gAt} into ∂f/∂b's at {@code at}. */
    static void addToDB(double[] g, int gAt, int k, double[] dw, int at) {
        for (int j = 0; j < k; j++) {
            dw[at + j] += g[gAt + j];
        }
    }

    /** Adds r² to the running double-double at {@code at}. */
    private static void addSquare(FusedKernel f, int at, double r) {
        double p = r * r;
        double e = Math.fma(r, r, -p);
        double s = f.lossSum[at];
        double t = s + p;
        f.lossError[at] += e + FusedKernel.twoSumError(s, p, t);
        f.lossSum[at] = t;
    }

    /** Entries [fromL, d) of dx's row at {@code at}: g (k values at gAt) times Wᵀ. */
    static void rowOfDX(FusedKernel f, double[] g, int gAt, double[] dx, int at, int fromL) {
        int d = f.d;
        int k = f.k;
        double[] w = f.w;
        for (int l = fromL; l < d; l++) {
            int row = l * k;
            double s = g[gAt] * w[row];
            for (int j = 1; j < k; j++) {
                s = Math.fma(g[gAt + j], w[row + j], s);
            }
            dx[at + l] = s;
        }
    }
}
