package org.relugrad.internal.check;

import java.util.List;
import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.StoredRows;
import org.relugrad.internal.engine.BlockCheck;
import org.relugrad.internal.kernel.Blas;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.ExactSum;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * The tasks' half of the finite-difference check: for each direction V and each of W, X, Y and b (with a bias), the central
 * difference (f(θ + εV) − f(θ − εV)) / 2ε along that tensor's part of V alone, and, for X and Y, the analytic
 * ⟨∂f/∂X, V_X⟩ and ⟨∂f/∂Y, V_Y⟩ (relugrad's or a supplied gradient's). Probing one tensor at a time is what lets a
 * failure name the tensor, and keeps f piecewise quadratic in ε: Z moves by ±εXV_W or ±εV_XW, linearly, and Y by
 * ±εV_Y; along b, every row's z moves by ±εV_b.
 *
 * <p>Each element's difference is taken as (r₊ − r₋)(r₊ + r₋), which is r₊² − r₋² without its cancellation, and all
 * sums are exact, so rounding stays near one ulp of each element's share, at any n. The central difference of a
 * quadratic is exact; an element errs only where its z crosses 0 within ±ε (a kink: its ReLU switches pieces). Such
 * elements are found one by one: they are counted, and the sum of |their raw difference − the difference of the
 * piece their z lies in| bounds what they can explain. That piece difference, summed over all elements, is the
 * central difference of the quadratic piece of f that contains θ (with z = 0 in the flat piece, ReLU'(0) = 0): it is
 * what a correct gradient must match, to rounding, however many kinks lie within ±ε.
 */
final class CentralDifferences implements BlockCheck {
    private static final long serialVersionUID = 1L;

    /** The probes: which tensor a direction moves. */
    static final int W = 0;
    static final int X = 1;
    static final int Y = 2;
    static final int B = 3;
    static final int PROBES = 4;
    /** The probes' tensors, by index. */
    static final List<String> NAMES = List.of("dW", "dX", "dY", "db");
    /** The sums kept for each direction and probe. */
    static final int RAW = 0;
    static final int PIECE = 1;
    static final int ANALYTIC = 2;
    static final int KINK = 3;
    static final int SQUARES = 4;
    static final int SUMS = 5;

    private final Matrix w;
    /** The bias, or null for none. */
    private final double[] b;
    private final Directions directions;
    private final double eps;
    private final StoredRows dX;
    private final StoredRows dY;
    private final HadoopConf conf;
    private final boolean[] probed;

    /**
     * @param b the bias, k values, or null for none (then b is not probed)
     * @param probed which of W, X, Y, b to probe (indexed by {@link #W}, {@link #X}, {@link #Y}, {@link #B}); the
     *     sums of the others stay zero
     * @param dX a supplied ∂f/∂X, or null to use relugrad's own (then the pass must compute it)
     * @param dY a supplied ∂f/∂Y, or null to use relugrad's own
     */
    CentralDifferences(Matrix w, double[] b, Directions directions, double eps, boolean[] probed, StoredRows dX,
                       StoredRows dY, HadoopConf conf) {
        this.probed = probed.clone();
        this.w = w;
        this.b = b;
        this.directions = directions;
        this.eps = eps;
        this.dX = dX;
        this.dY = dY;
        this.conf = conf;
    }

    @Override
    public Sums start() {
        return new Sums(this);
    }

    /** One task's sums; the driver turns them into {@link DirectionCheck}s. */
    static final class Sums implements Part {
        private static final long serialVersionUID = 1L;

        final ExactSum sums;
        final long[] crossings;
        private final transient CentralDifferences check;
        private transient RowsReader xReader;
        private transient RowsReader yReader;
        private transient double[] z = new double[0];
        private transient double[] moved = new double[0];
        private transient double[] v = new double[0];
        private transient double[][] vW;
        private transient double[][] vB;
        private final transient double[] pair = new double[2 * 4];

        private Sums(CentralDifferences check) {
            this.check = check;
            int m = check.directions.count();
            this.sums = new ExactSum(m * PROBES * SUMS);
            this.crossings = new long[m * PROBES];
            this.vW = new double[m][];
            this.vB = new double[m][];
            for (int i = 0; i < m; i++) {
                vW[i] = check.directions.w(i, check.w.rows(), check.w.cols()).values();
                vB[i] = check.directions.b(i, check.w.cols());
            }
        }

        static int slot(int direction, int probe, int sum) {
            return (direction * PROBES + probe) * SUMS + sum;
        }

        @Override
        public void add(RowBlock block, BlockGradient g) {
            int rows = block.rows();
            int d = block.d();
            int k = block.k();
            // Once per block: a float32 block widens its values at each call.
            double[] x = block.x();
            double[] y = block.y();
            double[] dXRows = g.dX();
            double[] dYRows = g.dY();
            if (check.dX != null) {
                xReader = RowsReader.at(xReader, check.dX, block.firstRow(), check.conf);
                dXRows = xReader.read(rows);
            }
            if (check.dY != null) {
                yReader = RowsReader.at(yReader, check.dY, block.firstRow(), check.conf);
                dYRows = yReader.read(rows);
            }
            int zLen = rows * k;
            moved = moved.length >= zLen ? moved : new double[zLen];
            z = z.length >= zLen ? z : new double[zLen];
            // Z again: the kernel keeps only what the gradient needs.
            Blas.xw(rows, d, k, x, check.w.values(), z);
            if (check.b != null) {
                addToRows(z, check.b, rows, k);
            }
            v = v.length >= rows * Math.max(d, k) ? v : new double[rows * Math.max(d, k)];
            for (int m = 0; m < check.directions.count(); m++) {
                if (check.probed[W]) {
                    Blas.xw(rows, d, k, x, vW[m], moved);
                    addZProbe(m, W, z, y, moved, zLen);
                }
                if (check.probed[X]) {
                    check.directions.x(m, block.firstRow(), rows, d, v);
                    addDot(slot(m, X, ANALYTIC), dXRows, v, rows * d);
                    Blas.xw(rows, d, k, v, check.w.values(), moved);
                    addZProbe(m, X, z, y, moved, zLen);
                }
                if (check.probed[B]) {
                    java.util.Arrays.fill(moved, 0, zLen, 0.0);
                    addToRows(moved, vB[m], rows, k);
                    addZProbe(m, B, z, y, moved, zLen);
                }
                if (check.probed[Y]) {
                    check.directions.y(m, block.firstRow(), rows, k, v);
                    addDot(slot(m, Y, ANALYTIC), dYRows, v, zLen);
                    addYProbe(m, z, y, v, zLen);
                }
            }
        }

        /** {@code v} (k values) added to each of the first {@code rows} rows of {@code z}. */
        private static void addToRows(double[] z, double[] v, int rows, int k) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < k; j++) {
                    z[i * k + j] += v[j];
                }
            }
        }

        /**
         * Z moved by ±ε·a: sums of the numerators r₊² − r₋² (divided by 2ε on the driver), raw and within θ's
         * piece, and the kinks.
         */
        private void addZProbe(int m, int probe, double[] z, double[] y, double[] a, int len) {
            double eps = check.eps;
            double[] acc = pair;
            java.util.Arrays.fill(acc, 0.0);
            long crossed = 0;
            for (int i = 0; i < len; i++) {
                double zi = z[i];
                double yi = y[i];
                double zp = Math.fma(eps, a[i], zi);
                double zm = Math.fma(-eps, a[i], zi);
                double rp = (zp > 0.0 ? zp : 0.0) - yi;
                double rm = (zm > 0.0 ? zm : 0.0) - yi;
                double raw = (rp - rm) * (rp + rm);
                boolean active = zi > 0.0;
                double piece = 0.0;
                if (active) {
                    double up = zp - yi;
                    double um = zm - yi;
                    piece = (up - um) * (up + um);
                }
                twoSum(acc, 0, raw);
                twoSum(acc, 2, piece);
                twoSum(acc, 6, piece * piece);
                if ((zp > 0.0) != active || (zm > 0.0) != active) {
                    crossed++;
                    twoSum(acc, 4, Math.abs(raw - piece));
                }
            }
            flush(m, probe, acc, crossed);
        }

        /** Y moved by ±ε·v: Z and so every ReLU stay put, and the central difference has no kinks. */
        private void addYProbe(int m, double[] z, double[] y, double[] vy, int len) {
            double eps = check.eps;
            double[] acc = pair;
            java.util.Arrays.fill(acc, 0.0);
            for (int i = 0; i < len; i++) {
                double relu = z[i] > 0.0 ? z[i] : 0.0;
                double rp = relu - Math.fma(eps, vy[i], y[i]);
                double rm = relu - Math.fma(-eps, vy[i], y[i]);
                double diff = (rp - rm) * (rp + rm);
                twoSum(acc, 0, diff);
                twoSum(acc, 2, diff);
                twoSum(acc, 6, diff * diff);
            }
            flush(m, Y, acc, 0);
        }

        private void flush(int m, int probe, double[] acc, long crossed) {
            sums.add(slot(m, probe, RAW), acc[0]);
            sums.add(slot(m, probe, RAW), acc[1]);
            sums.add(slot(m, probe, PIECE), acc[2]);
            sums.add(slot(m, probe, PIECE), acc[3]);
            sums.add(slot(m, probe, KINK), acc[4]);
            sums.add(slot(m, probe, KINK), acc[5]);
            sums.add(slot(m, probe, SQUARES), acc[6]);
            sums.add(slot(m, probe, SQUARES), acc[7]);
            crossings[m * PROBES + probe] += crossed;
        }

        /** Σ a⊙b over {@code len} values, to twice double precision, into the exact sum's slot. */
        private void addDot(int slot, double[] a, double[] b, int len) {
            double[] acc = pair;
            acc[0] = 0.0;
            acc[1] = 0.0;
            for (int i = 0; i < len; i++) {
                double p = a[i] * b[i];
                twoSum(acc, 0, p);
                acc[1] += Math.fma(a[i], b[i], -p);
            }
            sums.add(slot, acc[0]);
            sums.add(slot, acc[1]);
        }

        /** acc[at] + acc[at+1] += x, the rounding error of the addition kept in acc[at+1]. */
        private static void twoSum(double[] acc, int at, double x) {
            double s = acc[at];
            double t = s + x;
            double tp = t - s;
            acc[at + 1] += (s - (t - tp)) + (x - tp);
            acc[at] = t;
        }

        @Override
        public Part merge(Part other) {
            Sums o = (Sums) other;
            sums.merge(o.sums);
            for (int i = 0; i < crossings.length; i++) {
                crossings[i] += o.crossings[i];
            }
            return this;
        }

        @Override
        public void close() {
            RowsReader.close(xReader);
            RowsReader.close(yReader);
        }
    }
}
