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
import org.relugrad.NaiveGradient;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.csv.CsvInput;
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
