package org.relugrad.internal.fit;

import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;

/** W0 when none is given: zeros, or seeded uniform values in [−1/√d, 1/√d), as torch.nn.Linear starts its weights. */
public final class InitialW {
    private InitialW() {
    }

    /**
     * All zeros: for this loss a stationary point. Every z is 0 and ReLU'(0) = 0, so ∂f/∂W = 0 (and 2λW = 0), and
     * L-BFGS stops at once, its gradient converged.
     */
    public static Matrix zeros(int d, int k) {
        return new Matrix(d, k, new double[d * k]);
    }

    /**
     * Entry i (row-major) is u_i/√d, u_i entry i of the synthetic generator's stream {@code seed} (uniform in [−1, 1),
     * see {@link SyntheticInput#entry}): the same W0 on every machine.
     */
    public static Matrix random(int d, int k, long seed) {
        double[] w = new double[d * k];
        double scale = 1.0 / Math.sqrt(d);
        for (int i = 0; i < w.length; i++) {
            w[i] = SyntheticInput.entry(seed, i) * scale;
        }
        return new Matrix(d, k, w);
    }
}
