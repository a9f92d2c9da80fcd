package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import java.util.EnumSet;
import java.util.Set;

/**
 * The loss of a ReLU layer's squared error on one block of rows, and its gradients.
 *
 * <p>For a block X (rows × d), Y (rows × k) and the weights W (d × k), in float64:
 *
 * <pre>
 *   Z = X W,   R = max(Z, 0) − Y,   f = ‖R‖²_F = Σ R²
 *   G = 2 R ⊙ 1[Z &gt; 0]          (ReLU'(0) = 0, as torch.nn.ReLU's backward)
 *   ∂f/∂W = Xᵀ G,   ∂f/∂X = G Wᵀ,   ∂f/∂Y = −2 R
 * </pre>
 *
 * Where z = 0 exactly, the ReLU is taken to have slope 0 there, so such an entry passes no gradient to W or X (it
 * still adds y² to f and −2(0 − y) to ∂f/∂Y). f and ∂f/∂W over all rows are the sums of the blocks' values.
 *
 * <p>Two paths compute it, chosen by {@link Path#of} from d and k alone, so that a block's bits depend only on its
 * rows, W and the shape, never on the partitioning or the machine's vector width:
 *
 * <ul>
 *   <li>d and k at most {@value Path#FUSED_MAX_WIDTH}: {@link FusedKernel}, which computes a few rows at a time in
 *   registers and L1 cache and never writes Z or G to memory; on the JDK Vector API where k is a multiple of the
 *   hardware's vector width (8 doubles with AVX-512, 4 with AVX2) or half of it, else in plain Java, with the same
 *   bits either way ({@link Path#FUSED_VECTOR}, {@link Path#FUSED_PLAIN}).
 *   <li>wider: three BLAS products, then ReLU, residual, G and ∂f/∂Y in one pass over Z, the loss in one more over R
 *   ({@link Path#BLAS}).
 * </ul>
 *
 * Why {@value Path#FUSED_MAX_WIDTH}: per row on one core (AVX-512, the JDK's vector BLAS, blocks of the default
 * size far beyond the caches, on a machine shared with other work; src/bench's bench.KernelBench), loss and
 * ∂f/∂W took, fused against BLAS, 14 against 91 ns at d = k = 4, 28 / 221 at 8, 103 / 383 at 16, 316 / 947 at 32
 * and 1052 / 1823 at 64; with ∂f/∂X and ∂f/∂Y too, 34 / 121, 46 / 357, 213 / 673, 459 / 1508 and 1562 / 3787. At
 * d = 512, k = 256 the fused kernel is still ahead with loss and ∂f/∂W (19.9 against 28.8 µs) but behind with all
 * outputs (47.0 against 43.4), and a native BLAS (OpenBLAS: 40 to 50 GFLOP/s on one core, the JDK's about 25)
 * is ahead of both there: up to 64 the fused kernel wins for every set of outputs.
 *
 * <p>A float32 block ({@link RowBlock#float32}) is computed as the same values in float64, widened as they are read:
 * by the fused kernel a chunk of rows at a time, which stays in L1 cache, by the BLAS path whole into buffers of its
 * own. Widening is exact and the arithmetic that follows the same, so the bits are those of the float64 block.
 *
 * <p>A kernel owns its buffers and reuses them from block to block: the {@link BlockGradient} it returns is valid
 * until the next call. The result for a block depends only on the block's rows and W, never on what was computed
 * before.
 */
public final class BlockKernel {
    private final int d;
    private final int k;
    /** W, d × k row-major, then b with a bias. */
    private final double[] w;
    private final boolean bias;
    private final boolean wantDW;
    private final boolean wantDB;
    private final boolean wantDX;
    private final boolean wantDY;
    private final Path path;
    /** Null on the BLAS path. */
    private final FusedKernel fused;
    private final BlockGradient out;
    private double[] z = new double[0];
    private double[] g = new double[0];
    /** A float32 block's rows widened to float64, for the BLAS path, which reads them whole. */
    private double[] xWide = new double[0];
    private double[] yWide = new double[0];

    /**
     * @param w the weights, d × k
     * @param outputs which gradients to compute; the loss is always computed
     */
    public BlockKernel(Matrix w, Set<Output> outputs) {
        this(w, false, outputs);
    }

    /**
     * @param w the weights, d × k, or with a bias (d + 1) × k: W, then b as its last row
     * @param bias whether z = x W + b, b being w's last row; ∂f/∂b (output {@link Output#DB}) then follows ∂f/∂W
     *     in {@link BlockGradient#dW()}
     */
    public BlockKernel(Matrix w, boolean bias, Set<Output> outputs) {
        this(w, bias, outputs, Path.of(w.rows() - (bias ? 1 : 0), w.cols()));
    }

    /** As {@link #BlockKernel(Matrix, Set, Path)}, with a bias where {@code bias}. */
    public BlockKernel(Matrix w, boolean bias, Set<Output> outputs, Path path) {
        this.bias = bias;
        this.d = w.rows() - (bias ? 1 : 0);
        this.k = w.cols();
        if (d < 1 || k < 1) {
            throw new IllegalArgumentException("W must be at least 1x1, was " + d + "x" + k);
        }
        this.w = w.values();
        EnumSet<Output> wanted = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
        this.wantDW = wanted.contains(Output.DW);
        this.wantDB = bias && wanted.contains(Output.DB);
        this.wantDX = wanted.contains(Output.DX);
        this.wantDY = wanted.contains(Output.DY);
        this.out = new BlockGradient(w.rows(), k);
        this.path = path;
        if (path == Path.BLAS) {
            this.fused = null;
        } else {
            this.fused = new FusedKernel(d, k, this.w, bias, wantDW, wantDB, wantDX, wantDY,
                    path == Path.FUSED_VECTOR);
            if (fused.vector() != (path == Path.FUSED_VECTOR)) {
                throw new IllegalArgumentException("the Vector API does not run W of " + d + "x" + k + " here");
            }
        }
    }

    /**
     * A kernel on a given path, to compare them; {@link Path#FUSED_VECTOR} only where {@link Path#of} could
     * choose it for some width.
     */
    public BlockKernel(Matrix w, Set<Output> outputs, Path path) {
        this(w, false, outputs, path);
    }

    /** Which code computes this kernel's blocks. */
    public Path path() {
        return path;
    }

    /**
     * A kernel for {@code w} that takes over the buffers of {@code previous} (null: none), which must not be used
     * again. A task's buffers are megabytes and an executor thread runs one task after another, iteration after
     * iteration: handing them on spares the garbage collector a large allocation per task.
     */
    public static BlockKernel reusing(BlockKernel previous, Matrix w, boolean bias, Set<Output> outputs) {
        return reusing(previous, w, bias, outputs, Path.of(w.rows() - (bias ? 1 : 0), w.cols()));
    }

    /** As {@link #reusing(BlockKernel, Matrix, boolean, Set)}, on {@code path}. */
    public static BlockKernel reusing(BlockKernel previous, Matrix w, boolean bias, Set<Output> outputs, Path path) {
        BlockKernel next = new BlockKernel(w, bias, outputs, path);
        if (previous != null) {
            next.z = previous.z;
            next.g = previous.g;
            next.xWide = previous.xWide;
            next.yWide = previous.yWide;
            next.out.dx = previous.out.dx;
            next.out.dy = previous.out.dy;
        }
        return next;
    }

    /** Computes the block's loss and the wanted gradients into buffers owned by this kernel. */
    public BlockGradient apply(RowBlock block) {
        if (fused == null && block.float32()) {
            return apply(widened(block));
        }
        if (block.d() != d || block.k() != k) {
            throw new IllegalArgumentException("block is " + block.d() + " -> " + block.k()
                    + " wide but W is " + d + "x" + k);
        }
        int rows = block.rows();
        int zLen = rows * k;
        boolean wantG = wantDW || wantDB || wantDX;
        if (fused == null) {
            z = atLeast(z, zLen);
            if (wantG) {
                g = atLeast(g, zLen);
            }
        }
        if (wantDY) {
            out.dy = atLeast(out.dy, zLen);
        }
        if (wantDX) {
            out.dx = atLeast(out.dx, rows * d);
        }
        out.firstRow = block.firstRow();
        out.rows = rows;
        if (rows == 0) {
            out.loss = 0.0;
            out.lossError = 0.0;
            if (wantDW || wantDB) {
                java.util.Arrays.fill(out.dw, 0.0);
            }
            return out;
        }

        if (fused != null) {
            fused.apply(block, out);
            return out;
        }
        Blas.xw(rows, d, k, block.x(), w, z);
        if (bias) {
            addBias(rows);
        }
        residualPass(zLen, block.y(), wantG);
        if (wantDW) {
            Blas.xtg(rows, d, k, block.x(), g, out.dw);
        }
        if (wantDB) {
            columnSumsOfG(rows);
        }
        if (wantDX) {
            Blas.gwt(rows, d, k, g, w, out.dx);
        }
        return out;
    }

    /** Z += 1 bᵀ: b, W's row d, added to each row of Z. */
    private void addBias(int rows) {
        int at = d * k;
        for (int i = 0; i < rows; i++) {
            int row = i * k;
            for (int j = 0; j < k; j++) {
                z[row + j] += w[at + j];
            }
        }
    }

    /** ∂f/∂b = 1ᵀ G, row after row in block order, into ∂f/∂W's row d. */
    private void columnSumsOfG(int rows) {
        int at = d * k;
        java.util.Arrays.fill(out.dw, at, at + k, 0.0);
        for (int i = 0; i < rows; i++) {
            int row = i * k;
            for (int j = 0; j < k; j++) {
                out.dw[at + j] += g[row + j];
            }
        }
    }

    /**
     * The element-wise step, over Z in place: R = max(Z, 0) − Y replaces Z, and G and −2R are written where wanted;
     * then Σ R². The signs of Z are coin flips to a branch predictor, so max(Z, 0) and 1[Z &gt; 0] are taken as a bit
     * mask (all ones where z &gt; 0, else zero: exactly z or +0.0, 2r or +0.0), with no branch.
     */
    private void residualPass(int len, double[] y, boolean wantG) {
        double[] zr = z;
        double[] gg = g;
        double[] dy = out.dy;
        for (int i = 0; i < len; i++) {
            long zBits = Double.doubleToRawLongBits(zr[i]);
            long active = (-zBits & ~zBits) >> 63;
            double r = Double.longBitsToDouble(zBits & active) - y[i];
            zr[i] = r;
            if (wantG) {
                gg[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(2.0 * r) & active);
            }
            if (wantDY) {
                dy[i] = -2.0 * r;
            }
        }
        sumOfSquares(zr, len);
    }

    /**
     * Σ r² to twice the working precision: each square is split exactly (fma) and each addition's rounding error
     * kept. Four interleaved running sums, so that each addition does not wait for the one before; they are joined
     * the same way at the end, so the block's loss is the same bits wherever the block is computed.
     */
    private void sumOfSquares(double[] r, int len) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double c0 = 0.0;
        double c1 = 0.0;
        double c2 = 0.0;
        double c3 = 0.0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            double p0 = r[i] * r[i];
            double p1 = r[i + 1] * r[i + 1];
            double p2 = r[i + 2] * r[i + 2];
            double p3 = r[i + 3] * r[i + 3];
            c0 += Math.fma(r[i], r[i], -p0);
            c1 += Math.fma(r[i + 1], r[i + 1], -p1);
            c2 += Math.fma(r[i + 2], r[i + 2], -p2);
            c3 += Math.fma(r[i + 3], r[i + 3], -p3);
            double t0 = s0 + p0;
            double t1 = s1 + p1;
            double t2 = s2 + p2;
            double t3 = s3 + p3;
            c0 += additionError(s0, p0, t0);
            c1 += additionError(s1, p1, t1);
            c2 += additionError(s2, p2, t2);
            c3 += additionError(s3, p3, t3);
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        for (; i < len; i++) {
            double p = r[i] * r[i];
            c0 += Math.fma(r[i], r[i], -p);
            double t = s0 + p;
            c0 += additionError(s0, p, t);
            s0 = t;
        }
        double left = s0 + s1;
        double right = s2 + s3;
        double total = left + right;
        double error = (c0 + c1) + (c2 + c3)
                + additionError(s0, s1, left) + additionError(s2, s3, right) + additionError(left, right, total);
        out.loss = total;
        // Past the largest double the error terms are ∞ − ∞; the sum itself then says what happened.
        out.lossError = Double.isFinite(total) ? error : 0.0;
    }

    /**
     * The rounding error of {@code sum = a + b} for a, b ≥ 0, exactly: Dekker's Fast2Sum with the larger of the two
     * first (three operations, where Knuth's TwoSum for any order takes six). Which one is larger hardly ever
     * changes along a running sum, so the branch costs next to nothing.
     */
    private static double additionError(double a, double b, double sum) {
        return b > a ? a - (sum - b) : b - (sum - a);
    }

    /** A float32 block for the BLAS path, which reads the rows whole: widened into this kernel's buffers. */
    private RowBlock widened(RowBlock block) {
        int rows = block.rows();
        xWide = atLeast(xWide, rows * d);
        yWide = atLeast(yWide, rows * k);
        block.widen(0, rows, xWide, yWide);
        return new RowBlock(block.firstRow(), rows, block.d(), block.k(), xWide, yWide);
    }

    private static double[] atLeast(double[] buffer, int length) {
        return buffer.length >= length ? buffer : new double[length];
    }

    /** The code that computes a kernel's blocks; the label is what reports name. */
    public enum Path {
        /** {@link FusedKernel} on the JDK Vector API. */
        FUSED_VECTOR("fused-vector"),
        /** {@link FusedKernel} in plain Java: the same bits as on the Vector API, slower. */
        FUSED_PLAIN("fused-plain"),
        /** Three BLAS products and two element-wise passes. */
        BLAS("blas");

        /** The widest d and k that the fused kernel runs by default. */
        static final int FUSED_MAX_WIDTH = 64;

        private final String label;

        Path(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The path for W of d × k: fused for narrow rows, on the Vector API where it runs; else BLAS. */
        public static Path of(int d, int k) {
            if (d > FUSED_MAX_WIDTH || k > FUSED_MAX_WIDTH) {
                return BLAS;
            }
            return FusedKernel.VECTOR_API && FusedKernelVector.fits(d, k) ? FUSED_VECTOR : FUSED_PLAIN;
        }
    }
}
