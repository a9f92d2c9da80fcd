package org.relugrad.internal.fit;

import org.relugrad.LossAndGradient;

import org.relugrad.Matrix;

/**
 * f(W) and ∂f/∂W at any W of one shape (d × k): what {@link LbfgsTraining} follows. Each call may run a whole pass
 * over the data; the training calls it once per point the line search tries.
 */
@FunctionalInterface
public interface LossFunction {

    /** f and ∂f/∂W at {@code w}; must not keep or change {@code w}. */
    LossAndGradient lossAndGradient(Matrix w);
}
