package org.relugrad.math;

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
 * <p>The three products go through BLAS; ReLU, residual, loss, G and ∂f/∂Y are one pass over Z. A kernel owns its
 * buffers and reuses them from block to block: the {@link BlockGradient} it returns is valid until the next call.
 * The result for a block depends only on the block's rows and W, never on what was computed before.
 */
public final class BlockKernel {
    private final int d;
    private final int k;
    private final double[] w;
    private final boolean wantDW;
    private final boolean wantDX;
    private final boolean wantDY;
    private final BlockGradient out;
    private double[] z = new double[0];
    private double[] g = new double[0];

    /**
     * @param w the weights, d × k
     * @param outputs which gradients to compute; the loss is always computed
     */
    public BlockKernel(Matrix w, Set<Tensor> outputs) {
        this.d = w.rows();
        this.k = w.cols();
        if (d < 1 || k < 1) {
            throw new IllegalArgumentException("W must be at least 1x1, was " + d + "x" + k);
        }
        this.w = w.values();
        EnumSet<Tensor> wanted = outputs.isEmpty() ? EnumSet.noneOf(Tensor.class) : EnumSet.copyOf(outputs);
        this.wantDW = wanted.contains(Tensor.DW);
        this.wantDX = wanted.contains(Tensor.DX);
        this.wantDY = wanted.contains(Tensor.DY);
        this.out = new BlockGradient(d, k);
    }

    /** Computes the block's loss and the wanted gradients into buffers owned by this kernel. */
    public BlockGradient apply(RowBlock block) {
        if (block.d() != d || block.k() != k) {
            throw new IllegalArgumentException("block is " + block.d() + " -> " + block.k()
                    + " wide but W is " + d + "x" + k);
        }
        int rows = block.rows();
        int zLen = rows * k;
        z = atLeast(z, zLen);
        out.z = z;
        boolean wantG = wantDW || wantDX;
        if (wantG) {
            g = atLeast(g, zLen);
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
            if (wantDW) {
                java.util.Arrays.fill(out.dw, 0.0);
            }
            return out;
        }

        Blas.xw(rows, d, k, block.x(), w, z);
        residualPass(zLen, block.y(), wantG);
        if (wantDW) {
            Blas.xtg(rows, d, k, block.x(), g, out.dw);
        }
        if (wantDX) {
            Blas.gwt(rows, d, k, g, w, out.dx);
        }
        return out;
    }

    /**
     * One pass over Z: the residual, G, −2R and Σ R². The sum is kept as s + c with each square split exactly
     * (fma) and each addition's rounding error caught (TwoSum), so the block's loss is as accurate as if summed in
     * twice the precision; s and c both go into the exact total.
     */
    private void residualPass(int len, double[] y, boolean wantG) {
        double[] zz = z;
        double[] gg = g;
        double[] dy = out.dy;
        double s = 0.0;
        double c = 0.0;
        for (int i = 0; i < len; i++) {
            double zi = zz[i];
            boolean active = zi > 0.0;
            double r = (active ? zi : 0.0) - y[i];
            double p = r * r;
            double pError = Math.fma(r, r, -p);
            double t = s + p;
            double tp = t - s;
            c += ((s - (t - tp)) + (p - tp)) + pError;
            s = t;
            if (wantG) {
                gg[i] = active ? 2.0 * r : 0.0;
            }
            if (wantDY) {
                dy[i] = -2.0 * r;
            }
        }
        out.loss = s;
        // Past the largest double the error terms are ∞ − ∞; the sum itself then says what happened.
        out.lossError = Double.isFinite(s) ? c : 0.0;
    }

    private static double[] atLeast(double[] buffer, int length) {
        return buffer.length >= length ? buffer : new double[length];
    }
}
