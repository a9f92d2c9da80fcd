package org.relugrad.internal.fit;

import org.relugrad.Matrix;

/**
 * What a training ends with: W, f at W (without the λ term), and per iteration (index 0: at W0) f and the norm of
 * the objective's gradient, ∂f/∂W + 2λW; why it stopped.
 */
public record FitResult(Matrix w, double loss, double[] lossHistory, double[] gradientNormHistory,
                        StopReason stopReason) {

    /** Iterations done: the history's length less W0's entry. */
    public int iterations() {
        return lossHistory.length - 1;
    }
}
