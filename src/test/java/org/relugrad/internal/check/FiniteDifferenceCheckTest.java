package org.relugrad.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.npy.NpyInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.engine.GradientJob;

/**
 * check --fd at n = 10⁶ (local mode): correct gradients pass, however many kinks lie within ±ε; each wrong one
 * fails with its tensor named. The supplied gradients come from the naive float64 loop.
 */
class FiniteDifferenceCheckTest extends SharedSpark {
    private static final FiniteDifferenceSettings DEFAULT = new FiniteDifferenceSettings(3, 0, 1e-6, 1e-6);

    @TempDir
    Path tmp;

    private CheckReport fd(RowRangeInput input, FiniteDifferenceSettings settings, Path gradient) {
        return new GradientCheck(new GradientJob(sc), 4096)
                .finiteDifferences(input, settings, gradient == null ? null : gradient.toString());
    }

    @Test
    void relugradsOwnGradientPassesEveryDirectionOfEveryTensor() {
        CheckReport report = fd(LargeCase.input(), DEFAULT, null);
        assertTrue(report.passed(), () -> report.toMap().toString());
        assertEquals(9, report.directions().size());
        assertEquals(List.of("dW", "dX", "dY"), report.directions().subList(0, 3).stream()
                .map(DirectionCheck::tensor).toList());
    }

    @Test
    void aCorrectGradientPassesDespiteManyKinkCrossingsAtLargeEps() {
        CheckReport report = fd(LargeCase.input(), new FiniteDifferenceSettings(2, 5, 0.5, 1e-6), null);
        assertTrue(report.passed(), () -> report.toMap().toString());
        DirectionCheck dW = report.directions().get(0);
        assertTrue(dW.crossings() > 100_000, "crossings: " + dW.crossings());
        // The kinks move the raw central difference far from the derivative, and no further than their bound.
        for (DirectionCheck d : report.directions()) {
            if (d.crossings() > 0) {
                assertTrue(Math.abs(d.numeric() - d.analytic()) > 1000 * d.tolerance(), d.toString());
                assertTrue(Math.abs(d.numeric() - d.analytic()) <= d.kinkBound() + d.tolerance(), d.toString());
            }
        }
    }

    /** The check reads a float32 block's values widened: every number of its report is the float64 run's. */
    @Test
    void aFloat32InputChecksExactlyAsTheSameValuesInFloat64() {
        int n = 20_000;
        java.util.Random random = new java.util.Random(23);
        float[] x = new float[n * 4];
        float[] y = new float[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian();
        }
        NpyFile.writeFloat32(tmp.resolve("X32.npy"), n, 4, x);
        NpyFile.writeFloat32(tmp.resolve("Y32.npy"), n, 3, y);
        NpyFile.write(tmp.resolve("X64.npy"), new Matrix(n, 4, widened(x)));
        NpyFile.write(tmp.resolve("Y64.npy"), new Matrix(n, 3, widened(y)));
        NpyFile.write(tmp.resolve("W.npy"), NaiveGradient.random(random, 4, 3));
        String w = tmp.resolve("W.npy").toString();
        CheckReport float32 = fd(new NpyInput(tmp.resolve("X32.npy").toString(), tmp.resolve("Y32.npy").toString(), w),
                DEFAULT, null);
        CheckReport float64 = fd(new NpyInput(tmp.resolve("X64.npy").toString(), tmp.resolve("Y64.npy").toString(), w),
                DEFAULT, null);
        assertTrue(float32.passed(), () -> float32.toMap().toString());
        assertEquals(9, float32.directions().size());
        assertEquals(float64.directions(), float32.directions());
    }

    private static double[] widened(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    @Test
    void aCorrectSuppliedGradientPasses() {
        NaiveGradient reference = LargeCase.reference();
        Path dir = GradientDirs.write(tmp.resolve("naive"), null, reference.dW, reference.dX, reference.dY);
        CheckReport report = fd(LargeCase.input(), DEFAULT, dir);
        assertTrue(report.passed(), () -> report.toMap().toString());
        assertEquals(9, report.directions().size());
    }

    @Test
    void dWScaledByOnePlusATenthOfAPercentFails() {
        NaiveGradient reference = LargeCase.reference();
        Path dir = GradientDirs.write(tmp.resolve("scaled"), null, GradientDirs.scaled(reference.dW, 1.001), null, null);
        CheckReport report = fd(LargeCase.input(), DEFAULT, dir);
        assertEquals(List.of("dW"), report.failedTensors());
        assertEquals(3, report.directions().stream().filter(d -> !d.passed()).count());
    }

    @Test
    void dWTransposedFails() {
        NaiveGradient reference = LargeCase.reference();
        Path dir = GradientDirs.write(tmp.resolve("transposed"), null, GradientDirs.transposed(reference.dW), null, null);
        assertEquals(List.of("dW"), fd(LargeCase.input(), DEFAULT, dir).failedTensors());
    }

    @Test
    void dXWithOneRowZeroedAmongAMillionFails() {
        NaiveGradient reference = LargeCase.reference();
        Path dir = GradientDirs.write(tmp.resolve("zeroed"), null, reference.dW,
                GradientDirs.rowZeroed(reference.dX, 314_159), null);
        CheckReport report = fd(LargeCase.input(), DEFAULT, dir);
        assertEquals(List.of("dX"), report.failedTensors());
    }

    @Test
    void dYMissingItsFactorTwoFails() {
        NaiveGradient reference = LargeCase.reference();
        Path dir = GradientDirs.write(tmp.resolve("half"), null, null, null, GradientDirs.scaled(reference.dY, 0.5));
        assertEquals(List.of("dY"), fd(LargeCase.input(), DEFAULT, dir).failedTensors());
    }

    @Test
    void theClampConventionOnTiesFailsAndNnReluPasses() throws IOException {
        Fixture ties = Fixture.load("ties");
        Path in = ties.copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        RowRangeInput input = new CsvInput(in.resolve("X.csv").toString(), in.resolve("Y.csv").toString(),
                in.resolve("W.csv").toString());
        Path clamp = Files.createDirectories(tmp.resolve("clamp"));
        for (String f : List.of("dW.csv", "dX.csv", "dY.csv")) {
            Files.writeString(clamp.resolve(f), Fixture.text("ties", "clamp_min0/" + f));
        }
        CheckReport wrong = fd(input, DEFAULT, clamp);
        assertEquals(List.of("dW", "dX"), wrong.failedTensors());
        assertTrue(wrong.directions().stream().anyMatch(d -> d.crossings() > 0), "the ties are kinks within ±eps");

        Path relu = GradientDirs.write(tmp.resolve("relu"), null, ties.dW(), ties.dX(), ties.dY());
        CheckReport right = fd(input, DEFAULT, relu);
        assertTrue(right.passed(), () -> right.toMap().toString());
        assertFalse(right.directions().isEmpty());
    }
}
