package org.relugrad;

/**
 * f = ‖max(XW, 0) − Y‖²_F at one W and ∂f/∂W = Xᵀ G (d × k), each the exact sum over all rows rounded once: the
 * same bits {@code relugrad grad} prints for the same rows, W and block size.
 */
public record LossAndGradient(double loss, Matrix dW) {
}
