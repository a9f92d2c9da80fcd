package org.relugrad.internal.fit;

import org.relugrad.LossAndGradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.relugrad.NaiveGradient;
import org.relugrad.Matrix;

/** Breeze's L-BFGS driven over a naive local loss: convergence, stopping, λ, and resuming to the same bits. */
class LbfgsTrainingTest {

    @Test
    void recoversThePlantedWeightsAndReachesSciPysLoss() throws IOException {
        PlantedProblem planted = PlantedProblem.ofScipyReference();
        LocalLoss loss = new LocalLoss(planted.x, planted.y);
        String reference = scipyReference();
        // The same data as SciPy's: f(W0) agrees to rounding (NumPy sums in another order).
        double atW0 = loss.lossAndGradient(planted.w0).loss();
        assertEquals(number(reference, "lossAtW0"), atW0, 1e-12 * atW0);

        FitResult fit = new LbfgsTraining(new FitSettings(100, 1e-10, 0.0)).run(loss, planted.w0, s -> { });
        double scipyLoss = number(reference, "loss");
        assertTrue(NaiveGradient.relativeError(fit.w(), planted.wStar) <= 0.02,
                "relative error to W*: " + NaiveGradient.relativeError(fit.w(), planted.wStar));
        assertTrue(fit.loss() <= scipyLoss * (1 + 1e-6), fit.loss() + " vs SciPy's " + scipyLoss);
        assertEquals(loss.lossAndGradient(fit.w()).loss(), fit.loss());
    }

    @Test
    void toleranceZeroRunsExactlyTheIterationLimit() {
        Noisy problem = new Noisy(400, 3, 2, 7);
        FitResult fit = new LbfgsTraining(new FitSettings(15, 0.0, 0.0)).run(problem.loss, problem.w0, s -> { });
        assertEquals(15, fit.iterations());
        assertEquals(StopReason.MAX_ITERATIONS, fit.stopReason());
        assertEquals(16, fit.gradientNormHistory().length);
        assertTrue(fit.lossHistory()[15] < fit.lossHistory()[0]);
    }

    @Test
    void aToleranceStopsEarlyAndSaysWhy() {
        PlantedProblem planted = new PlantedProblem(2000, 3, 2, 3);
        FitResult fit = new LbfgsTraining(new FitSettings(200, 1e-6, 0.0))
                .run(new LocalLoss(planted.x, planted.y), planted.w0, s -> { });
        assertTrue(fit.iterations() < 200, "ran " + fit.iterations());
        assertTrue(fit.stopReason() == StopReason.FUNCTION_VALUES_CONVERGED
                || fit.stopReason() == StopReason.GRADIENT_CONVERGED, fit.stopReason().label());
    }

    @Test
    void theListenerSeesW0ThenEveryIterationWithFAtItsW() {
        Noisy problem = new Noisy(300, 3, 2, 11);
        List<TrainingState> states = new ArrayList<>();
        FitResult fit = new LbfgsTraining(new FitSettings(8, 0.0, 0.5)).run(problem.loss, problem.w0, states::add);
        assertEquals(9, states.size());
        assertArrayEquals(problem.w0.values(), states.get(0).w());
        for (int i = 0; i < states.size(); i++) {
            TrainingState s = states.get(i);
            assertEquals(i, s.iteration());
            assertEquals(i + 1, s.lossHistory().length);
            // f without the λ term, at the W recorded.
            assertEquals(problem.loss.lossAndGradient(s.wMatrix()).loss(), s.lossHistory()[i]);
        }
        assertArrayEquals(states.get(8).w(), fit.w().values());
    }

    @Test
    void resumingFromAnyRecordedStateGivesTheUninterruptedBits() {
        Noisy problem = new Noisy(500, 4, 3, 5);
        FitSettings settings = new FitSettings(12, 0.0, 0.1);
        List<byte[]> checkpoints = new ArrayList<>();
        FitResult whole = new LbfgsTraining(settings).run(problem.loss, problem.w0, s -> checkpoints.add(s.encode()));
        for (int from : new int[] {0, 1, 5, 11, 12}) {
            TrainingState state = TrainingState.decode(checkpoints.get(from));
            FitResult resumed = new LbfgsTraining(settings).resume(problem.loss, state, s -> { });
            assertArrayEquals(bits(whole.w().values()), bits(resumed.w().values()), "resumed from " + from);
            assertArrayEquals(bits(whole.lossHistory()), bits(resumed.lossHistory()));
            assertArrayEquals(bits(whole.gradientNormHistory()), bits(resumed.gradientNormHistory()));
            assertEquals(whole.stopReason(), resumed.stopReason());
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused() {
        Noisy problem = new Noisy(100, 2, 2, 1);
        List<TrainingState> states = new ArrayList<>();
        new LbfgsTraining(new FitSettings(2, 0.0, 0.0)).run(problem.loss, problem.w0, states::add);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LbfgsTraining(new FitSettings(3, 0.0, 0.0)).resume(problem.loss, states.get(1), s -> { }));
        assertTrue(e.getMessage().contains("the checkpoint was made with"), e.getMessage());
    }

    @Test
    void aDamagedOrForeignCheckpointIsRefused() {
        Noisy problem = new Noisy(100, 2, 2, 1);
        List<byte[]> states = new ArrayList<>();
        new LbfgsTraining(new FitSettings(2, 0.0, 0.0)).run(problem.loss, problem.w0, s -> states.add(s.encode()));
        byte[] damaged = states.get(2).clone();
        damaged[40] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingState.decode(damaged))
                .getMessage().contains("damaged"));
        byte[] truncated = java.util.Arrays.copyOf(states.get(2), 60);
        assertThrows(IllegalArgumentException.class, () -> TrainingState.decode(truncated));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrainingState.decode("not a checkpoint at all".getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("is not a relugrad fit checkpoint"));
    }

    @Test
    void theL2TermMovesTheMinimumAsTheClosedFormSays() {
        // f(W) = ‖W − A‖²: the minimum of f + λ‖W‖² is A / (1 + λ).
        Matrix a = new Matrix(2, 3, new double[] {1, -2, 3, 0.5, 4, -1});
        LossFunction quadratic = w -> {
            double f = 0;
            double[] g = new double[6];
            for (int i = 0; i < 6; i++) {
                double r = w.values()[i] - a.values()[i];
                f += r * r;
                g[i] = 2 * r;
            }
            return new LossAndGradient(f, new Matrix(2, 3, g));
        };
        double lambda = 3.0;
        FitResult fit = new LbfgsTraining(new FitSettings(50, 1e-12, lambda))
                .run(quadratic, new Matrix(2, 3, new double[6]), s -> { });
        for (int i = 0; i < 6; i++) {
            assertEquals(a.values()[i] / (1 + lambda), fit.w().values()[i], 1e-8);
        }
        // The loss reported is f alone: ‖A/(1+λ) − A‖² = (λ/(1+λ))²‖A‖².
        assertEquals(Math.pow(lambda / (1 + lambda), 2) * 31.25, fit.loss(), 1e-8);
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    /** A ReLU fit with no planted answer (Y uniform noise), which L-BFGS takes many iterations over. */
    private static final class Noisy {
        final LocalLoss loss;
        final Matrix w0;

        Noisy(int n, int d, int k, long seed) {
            java.util.Random random = new java.util.Random(seed);
            loss = new LocalLoss(NaiveGradient.random(random, n, d), NaiveGradient.random(random, n, k));
            w0 = NaiveGradient.random(random, d, k);
        }
    }

    static String scipyReference() throws IOException {
        try (InputStream in = LbfgsTrainingTest.class.getResourceAsStream("/fit/planted_scipy.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first number named {@code key} in the reference's JSON. */
    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE+]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in the SciPy reference");
        }
        return Double.parseDouble(m.group(1));
    }
}
