package org.relugrad.internal.kernel;

/**
 * What {@link BlockKernel} computed for one block: its loss, its share Xᵀ G of ∂f/∂W, and its rows of ∂f/∂X and
 * ∂f/∂Y (each row-major, valid for {@link #rows()} rows; arrays may be longer). Owned by the kernel and
 * overwritten by its next call.
 */
public final class BlockGradient {
    final double[] dw;
    double[] dx = new double[0];
    double[] dy = new double[0];
    long firstRow;
    int rows;
    double loss;
    double lossError;

    /** @param sumRows ∂f/∂W's rows, d, and one more for ∂f/∂b with a bias */
    BlockGradient(int sumRows, int k) {
        this.dw = new double[sumRows * k];
    }

    public long firstRow() {
        return firstRow;
    }

    public int rows() {
        return rows;
    }

    /** This block's Σ R², to double precision. */
    public double loss() {
        return loss;
    }

    /** The rounding error of {@link #loss()}, to double precision: loss() + lossError() is Σ R² to twice that. */
    public double lossError() {
        return lossError;
    }

    /**
     * This block's Xᵀ G, d × k row-major (left at zero when ∂f/∂W is not wanted), followed with a bias by its
     * ∂f/∂b = 1ᵀ G, k values (zero when not wanted): the ∂f/∂W of X with a last column of ones.
     */
    public double[] dW() {
        return dw;
    }

    /** This block's rows of G Wᵀ, rows × d row-major. */
    public double[] dX() {
        return dx;
    }

    /** This block's rows of −2R, rows × k row-major. */
    public double[] dY() {
        return dy;
    }
}
