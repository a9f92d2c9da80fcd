package org.relugrad.internal.fit;

import org.relugrad.LossAndGradient;

import org.relugrad.Matrix;

/**
 * The reference loss for the optimizer's tests: f and ∂f/∂W as plain float64 loops over rows held in memory, no
 * Spark, no blocks, none of relugrad's kernels. Counts its evaluations.
 */
final class LocalLoss implements LossFunction {
    private final Matrix x;
    private final Matrix y;
    int evaluations;

    LocalLoss(Matrix x, Matrix y) {
        this.x = x;
        this.y = y;
    }

    @Override
    public LossAndGradient lossAndGradient(Matrix w) {
        evaluations++;
        int n = x.rows();
        int d = x.cols();
        int k = w.cols();
        double f = 0.0;
        double[] dw = new double[d * k];
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0.0;
                for (int l = 0; l < d; l++) {
                    s += x.get(i, l) * w.get(l, j);
                }
                z[j] = s;
            }
            for (int j = 0; j < k; j++) {
                double r = Math.max(z[j], 0.0) - y.get(i, j);
                f += r * r;
                double g = z[j] > 0.0 ? 2.0 * r : 0.0;
                for (int l = 0; l < d; l++) {
                    dw[l * k + j] += x.get(i, l) * g;
                }
            }
        }
        return new LossAndGradient(f, new Matrix(d, k, dw));
    }
}
