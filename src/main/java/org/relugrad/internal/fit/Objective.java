package org.relugrad.internal.fit;

import org.relugrad.LossAndGradient;

import breeze.linalg.DenseVector;
import java.util.Arrays;
import java.util.function.Function;
import org.relugrad.Matrix;
import scala.Tuple2;

/**
 * The function L-BFGS minimizes, over W flattened row-major: f(W) + λ‖W‖²_F, with gradient ∂f/∂W + 2λW (with a
 * bias, W's last row is b, which the λ term leaves out, see {@link WithBias}). It keeps
 * the last point it was evaluated at with the loss f there (without the λ term), for the training's history.
 */
final class Objective implements Function<DenseVector<Object>, Tuple2<Object, DenseVector<Object>>> {
    private final LossFunction loss;
    private final int d;
    private final int k;
    private final double l2;
    /** The leading entries of W that the λ term weighs: all, or all but a bias row. */
    private final int penalized;
    private double[] lastW;
    private double lastLoss;

    /** @param bias whether W's last row is a bias, which the λ term leaves out */
    Objective(LossFunction loss, int d, int k, double l2, boolean bias) {
        this.loss = loss;
        this.d = d;
        this.k = k;
        this.l2 = l2;
        this.penalized = (bias ? d - 1 : d) * k;
    }

    int d() {
        return d;
    }

    int k() {
        return k;
    }

    /** For Breeze: the objective as its DiffFunction. */
    FunctionDiff asDiffFunction() {
        return new FunctionDiff(this);
    }

    @Override
    public Tuple2<Object, DenseVector<Object>> apply(DenseVector<Object> x) {
        double[] w = Vectors.values(x).clone();
        LossAndGradient at = loss.lossAndGradient(new Matrix(d, k, w.clone()));
        if (at.dW().rows() != d || at.dW().cols() != k) {
            throw new IllegalStateException("the loss gave a " + at.dW().rows() + " x " + at.dW().cols()
                    + " gradient for a " + d + " x " + k + " W");
        }
        double[] gradient = at.dW().values().clone();
        double squares = 0.0;
        for (int i = 0; i < penalized; i++) {
            squares += w[i] * w[i];
            gradient[i] += 2.0 * l2 * w[i];
        }
        lastW = w;
        lastLoss = at.loss();
        return new Tuple2<>(at.loss() + l2 * squares, Vectors.of(gradient));
    }

    /** f at {@code w} without the λ term: from the last evaluation when it was there, else evaluated anew. */
    double lossAt(double[] w) {
        if (lastW == null || !Arrays.equals(lastW, w)) {
            apply(Vectors.of(w.clone()));
        }
        return lastLoss;
    }
}
