package org.relugrad.internal.kernel;

import java.util.Arrays;

/**
 * The block kernel for narrow rows: a few rows at a time, z = x W, the ReLU, r, the loss and x ⊗ g into ∂f/∂W (and
 * g Wᵀ, −2r where wanted) are computed while the rows are in registers and L1 cache (a tile of 32 rows of Z and G
 * at most), so Z and G never go to memory, and X and Y are read from it once.
 *
 * <p>Its arithmetic is one fixed sequence of IEEE operations per row and column, the same for the Vector API
 * ({@link FusedKernelVector}) and the plain-Java ({@link FusedKernelScalar}) code, which therefore give the same bits:
 *
 * <pre>
 *   z_j   = fma(x_{d−1}, W_{d−1,j}, … fma(x_1, W_{1,j}, x_0·W_{0,j}))   (+ b_j last, with a bias)
 *   r_j   = max(z_j, 0) − y_j                     (max(−0, 0) = +0; a NaN z stays NaN)
 *   g_j   = 2 r_j where max(z_j, 0) ≠ 0, else +0    (ReLU'(0) = 0)
 *   ∂f/∂Y = −2 r_j
 *   ∂f/∂W_{l,j} = fma(x_l, g_j, ∂f/∂W_{l,j}), row after row in block order, from 0
 *   ∂f/∂b_j     = ∂f/∂b_j + g_j, row after row in block order, from 0   (with a bias)
 *   ∂f/∂X_l     = fma(g_{k−1}, W_{l,k−1}, … fma(g_1, W_{l,1}, g_0·W_{l,0}))
 * </pre>
 *
 * With a bias, z_j and ∂f/∂b_j are those of X with a last column of ones and W with b as its last row: b_j = fma(1,
 * b_j, z) comes last, and ∂f/∂b_j is that column's row of ∂f/∂W, which follows ∂f/∂W's d rows in the same array.
 *
 * and the loss is kept in four running double-doubles (s, c) per column j, row i going to the one of i mod 4, over
 * the rows in block order: with p = r² and e = fma(r, r, −p) its exact remainder, t = s + p and Knuth's exact
 * TwoSum error of that addition, c += e + error, s = t. Four, as the BLAS path's loss has, so that the sums' own
 * rounding is as small, and so that the next row's square need not wait for this one's. The 4k pairs are then
 * added in the order of (i mod 4, j) with the same exact errors.
 *
 * <p>Every running sum goes over the rows in block order, so the bits are the same whether the block's rows are
 * there at once or come a chunk at a time (rows made on demand, see {@link RowBlock.RowMaker}, or a float32 block's
 * rows widened to float64, see {@link RowBlock#widen}).
 */
final class FusedKernel {
    /** Rows per step: the loss goes to four running sums, by row mod 4. */
    static final int ROWS_PER_STEP = 4;
    /** Rows whose R and G the vector code holds at once: 32 · k doubles each, in L1 cache for k up to 64. */
    static final int TILE_ROWS = 32;
    /** Whether the Vector API module is there: without it, FusedKernelVector cannot even be loaded. */
    static final boolean VECTOR_API = vectorApiLoads();

    final int d;
    final int k;
    /** W, d × k row-major, followed by b (k values) where there is a bias. */
    final double[] w;
    /** Whether z has a bias, b = W's row d: ∂f/∂b is then ∂f/∂W's row d. */
    final boolean bias;
    /**
     * With a bias, b twice over: a whole number of vectors of the Vector API's lanes both where k is a multiple of
     * them and where 2k is one.
     */
    final double[] bTwice;
    /** Wᵀ, k × d row-major: the row of W that one g_j scales for ∂f/∂X. */
    final double[] wt;
    /** Each row of W twice over, d × 2k: for vectors that hold two rows of Z. */
    final double[] wTwice;
    final boolean wantDW;
    /** ∂f/∂b, with a bias: into ∂f/∂W's row d. */
    final boolean wantDB;
    final boolean wantDX;
    final boolean wantDY;
    /** Running sums of r² and of their rounding errors, at (i mod 4)·k + j, as ROWS_PER_STEP is 4. */
    final double[] lossSum;
    final double[] lossError;
    /** A tile's rows of R and of G, TILE_ROWS × k each; the plain-Java code uses the first row of G. */
    final double[] r;
    final double[] g;
    private final boolean vector;
    /** Rows made at once for a block whose rows are made on demand: about 16 KiB of X and Y, a multiple of a tile. */
    private final int chunkRows;
    private double[] xChunk;
    private double[] yChunk;
    /** A chunk's rows of ∂f/∂X and ∂f/∂Y, copied to the block's at the chunk's place; made when first wanted. */
    private double[] dxChunk;
    private double[] dyChunk;

    FusedKernel(int d, int k, double[] w, boolean bias, boolean wantDW, boolean wantDB, boolean wantDX,
                boolean wantDY, boolean useVectorApi) {
        this.d = d;
        this.k = k;
        this.w = w;
        this.bias = bias;
        this.bTwice = new double[bias ? 2 * k : 0];
        for (int j = 0; j < bTwice.length; j++) {
            bTwice[j] = w[d * k + j % k];
        }
        this.wt = new double[k * d];
        for (int l = 0; l < d; l++) {
            for (int j = 0; j < k; j++) {
                wt[j * d + l] = w[l * k + j];
            }
        }
        this.wTwice = new double[d * 2 * k];
        for (int l = 0; l < d; l++) {
            System.arraycopy(w, l * k, wTwice, 2 * l * k, k);
            System.arraycopy(w, l * k, wTwice, (2 * l + 1) * k, k);
        }
        this.wantDW = wantDW;
        this.wantDB = bias && wantDB;
        this.wantDX = wantDX;
        this.wantDY = wantDY;
        this.lossSum = new double[ROWS_PER_STEP * k];
        this.lossError = new double[ROWS_PER_STEP * k];
        this.r = new double[TILE_ROWS * k];
        this.g = new double[TILE_ROWS * k];
        this.vector = useVectorApi && VECTOR_API && FusedKernelVector.fits(d, k);
        this.chunkRows = Math.max(1, 2048 / (d + k) / TILE_ROWS) * TILE_ROWS;
    }

    private static boolean vectorApiLoads() {
        try {
            FusedKernelVector.fits(1, 1);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether the Vector API runs this shape; otherwise the plain-Java code, with the same bits. */
    boolean vector() {
        return vector;
    }

    /** Computes the block into {@code out}: its loss, ∂f/∂W (zeroed first) and the wanted rows of ∂f/∂X, ∂f/∂Y. */
    void apply(RowBlock block, BlockGradient out) {
        Arrays.fill(lossSum, 0.0);
        Arrays.fill(lossError, 0.0);
        Arrays.fill(out.dw, 0.0);
        int rows = block.rows();
        RowBlock.RowMaker maker = block.maker();
        if (block.float32()) {
            long first = block.firstRow();
            applyInChunks(first, rows, (from, count, x, y) -> block.widen((int) (from - first), count, x, y), out);
        } else if (maker != null && !wantDX && !wantDY) {
            applyInChunks(block.firstRow(), rows, maker, out);
        } else {
            int done = vector ? FusedKernelVector.run(this, block.x(), block.y(), rows, out.dw, out.dx, out.dy) : 0;
            FusedKernelScalar.run(this, block.x(), block.y(), done, rows, out.dw, out.dx, out.dy);
        }
        finishLoss(out);
    }

    /**
     * The rows made and computed a chunk at a time, so they stay in L1 cache; chunks start at multiples of 4 rows,
     * so row i of a chunk goes to the running sum of the block's row mod 4, as it would in one piece. The chunk's
     * rows of ∂f/∂X and ∂f/∂Y, where wanted, go to the block's at the chunk's place.
     */
    private void applyInChunks(long firstRow, int rows, RowBlock.RowMaker maker, BlockGradient out) {
        if (xChunk == null) {
            xChunk = new double[chunkRows * d];
            yChunk = new double[chunkRows * k];
        }
        if (wantDX && dxChunk == null) {
            dxChunk = new double[chunkRows * d];
        }
        if (wantDY && dyChunk == null) {
            dyChunk = new double[chunkRows * k];
        }
        double[] dx = wantDX ? dxChunk : null;
        double[] dy = wantDY ? dyChunk : null;
        for (int from = 0; from < rows; from += chunkRows) {
            int count = Math.min(chunkRows, rows - from);
            maker.make(firstRow + from, count, xChunk, yChunk);
            int done = vector ? FusedKernelVector.run(this, xChunk, yChunk, count, out.dw, dx, dy) : 0;
            FusedKernelScalar.run(this, xChunk, yChunk, done, count, out.dw, dx, dy);
            if (wantDX) {
                System.arraycopy(dxChunk, 0, out.dx, from * d, count * d);
            }
            if (wantDY) {
                System.arraycopy(dyChunk, 0, out.dy, from * k, count * k);
            }
        }
    }

    /** Adds the running double-doubles in their order; the total goes out as its high and low part. */
    private void finishLoss(BlockGradient out) {
        double s = lossSum[0];
        double c = lossError[0];
        for (int j = 1; j < lossSum.length; j++) {
            double t = s + lossSum[j];
            c += twoSumError(s, lossSum[j], t) + lossError[j];
            s = t;
        }
        double hi = s + c;
        // Past the largest double the error terms are ∞ − ∞; the sum itself then says what happened.
        out.loss = hi;
        out.lossError = Double.isFinite(hi) ? c - (hi - s) : 0.0;
    }

    /** The rounding error of {@code sum = a + b}, exactly, for any order of magnitude (Knuth's TwoSum). */
    static double twoSumError(double a, double b, double sum) {
        double bVirtual = sum - a;
        return (a - (sum - bVirtual)) + (b - bVirtual);
    }
}
