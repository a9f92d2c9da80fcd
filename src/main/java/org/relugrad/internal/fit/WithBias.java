package org.relugrad.internal.fit;

import java.util.function.BiFunction;
import org.relugrad.LossAndGradient;
import org.relugrad.Matrix;

/**
 * A layer with a bias, trained as one parameter matrix: W (d × k) with b as one more row, (d + 1) × k, and ∂f/∂b as
 * that row of the gradient. L-BFGS then moves W and b together, as Spark ML's regressions move the coefficients and
 * the intercept; the L2 term leaves the last row out ({@link LbfgsTraining#LbfgsTraining(FitSettings, boolean)}), as
 * Spark ML leaves the intercept unregularized.
 */
public final class WithBias {
    private WithBias() {
    }

    /** [W; bᵀ], (d + 1) × k. */
    public static Matrix join(Matrix w, double[] b) {
        return w.withRow(b);
    }

    /** W, the first d rows of [W; bᵀ]. */
    public static Matrix w(Matrix joined) {
        return joined.firstRows(joined.rows() - 1);
    }

    /** b, the last row of [W; bᵀ]. */
    public static double[] b(Matrix joined) {
        return joined.row(joined.rows() - 1);
    }

    /** The loss of W and b, f and [∂f/∂W; ∂f/∂bᵀ], as a function of [W; bᵀ]. */
    public static LossFunction loss(BiFunction<Matrix, double[], LossAndGradient> f) {
        return joined -> {
            LossAndGradient at = f.apply(w(joined), b(joined));
            return new LossAndGradient(at.loss(), join(at.dW(), at.db()));
        };
    }
}
