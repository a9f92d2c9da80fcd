package org.relugrad;

/**
 * f = ‖max(XW + b, 0) − Y‖²_F at one W (and b), ∂f/∂W = Xᵀ G (d × k) and, with a bias, ∂f/∂b = 1ᵀ G (k values;
 * null without one), each the exact sum over all rows rounded once: the same bits {@code relugrad grad} prints for
 * the same rows, W, b and block size.
 */
public record LossAndGradient(double loss, Matrix dW, double[] db) {
    /** Without a bias: ∂f/∂b is null. */
    public LossAndGradient(double loss, Matrix dW) {
        this(loss, dW, null);
    }
}
