package org.relugrad.internal.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.relugrad.LossAndGradient;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import scala.Tuple2;

/**
 * Training W and b together ({@link WithBias}), over a naive local loss of X with a column of ones (whose last row of
 * W is b): SciPy's L-BFGS-B on the planted problem with a bias, the λ term leaving b out, and resuming to the bits.
 */
class WithBiasTrainingTest {

    /** The naive loss as a loss of W and b, through {@link WithBias#loss}, the way fit and ReluRegression use it. */
    static LossFunction biased(LocalLoss onOnes) {
        return WithBias.loss((w, b) -> {
            LossAndGradient at = onOnes.lossAndGradient(w.withRow(b));
            Matrix joined = at.dW();
            return new LossAndGradient(at.loss(), WithBias.w(joined), WithBias.b(joined));
        });
    }

    @Test
    void recoversThePlantedWeightsAndBiasAndReachesSciPysLoss() throws IOException {
        PlantedProblem planted = PlantedProblem.ofScipyBiasReference();
        LossFunction loss = biased(new LocalLoss(NaiveGradient.withOnes(planted.x), planted.y));
        String reference;
        try (InputStream in = getClass().getResourceAsStream("/fit/planted_bias_scipy.json")) {
            reference = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matrix start = WithBias.join(planted.w0, planted.b0);
        // The same data as SciPy's: f at the start agrees to rounding.
        double atStart = loss.lossAndGradient(start).loss();
        assertEquals(LbfgsTrainingTest.number(reference, "lossAtStart"), atStart, 1e-12 * atStart);

        FitResult fit = new LbfgsTraining(new FitSettings(100, 1e-10, 0.0), true).run(loss, start, s -> { });
        Matrix w = WithBias.w(fit.w());
        double[] b = WithBias.b(fit.w());
        double wError = NaiveGradient.relativeError(w, planted.wStar);
        double bError = NaiveGradient.relativeError(new Matrix(1, b.length, b), new Matrix(1, b.length, planted.bStar));
        assertTrue(wError <= 0.02, "relative error to W*: " + wError);
        assertTrue(bError <= 0.02, "relative error to b*: " + bError);
        double scipyLoss = LbfgsTrainingTest.number(reference, "loss");
        assertTrue(fit.loss() <= scipyLoss * (1 + 1e-6), fit.loss() + " vs SciPy's " + scipyLoss);
        System.out.printf("planted with a bias: %d iterations, loss %s (SciPy %s), relative error to W* %.3e, "
                + "to b* %.3e%n", fit.iterations(), fit.loss(), scipyLoss, wError, bError);
    }

    @Test
    void theL2TermWeighsWButNotB() {
        Random random = new Random(3);
        Matrix x = NaiveGradient.random(random, 50, 3);
        Matrix y = NaiveGradient.random(random, 50, 2);
        LossFunction loss = biased(new LocalLoss(NaiveGradient.withOnes(x), y));
        Matrix start = WithBias.join(NaiveGradient.random(random, 3, 2), new double[] {0.7, -0.4});
        double lambda = 0.25;
        Tuple2<Object, breeze.linalg.DenseVector<Object>> at = new Objective(loss, 4, 2, lambda, true)
                .apply(Vectors.of(start.values().clone()));
        LossAndGradient plain = loss.lossAndGradient(start);
        double[] gradient = Vectors.values(at._2());
        double squares = 0.0;
        for (int i = 0; i < start.values().length; i++) {
            double w = start.values()[i];
            boolean inB = i >= 3 * 2;
            assertEquals(plain.dW().values()[i] + (inB ? 0.0 : 2 * lambda * w), gradient[i], 0.0, "entry " + i);
            squares += inB ? 0.0 : w * w;
        }
        assertEquals(plain.loss() + lambda * squares, (Double) at._1(), 0.0);
    }

    @Test
    void resumingATrainingWithABiasGivesTheUninterruptedBits() {
        Random random = new Random(17);
        Matrix x = NaiveGradient.random(random, 400, 4);
        Matrix y = NaiveGradient.random(random, 400, 3);
        LossFunction loss = biased(new LocalLoss(NaiveGradient.withOnes(x), y));
        Matrix start = WithBias.join(NaiveGradient.random(random, 4, 3), new double[3]);
        FitSettings settings = new FitSettings(10, 0.0, 0.1);
        List<byte[]> checkpoints = new ArrayList<>();
        FitResult whole = new LbfgsTraining(settings, true).run(loss, start, s -> checkpoints.add(s.encode()));
        for (int from : new int[] {0, 3, 9}) {
            TrainingState state = TrainingState.decode(checkpoints.get(from));
            assertEquals(5, state.d(), "the state holds [W; b]");
            FitResult resumed = new LbfgsTraining(settings, true).resume(loss, state, s -> { });
            assertArrayEquals(whole.w().values(), resumed.w().values(), "resumed from " + from);
            assertArrayEquals(whole.lossHistory(), resumed.lossHistory());
        }
    }
}
