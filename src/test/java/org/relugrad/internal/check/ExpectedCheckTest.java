package org.relugrad.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.Matrix;

/** check --expected: relugrad against gradients computed elsewhere (NumPy and PyTorch fixtures, the naive loop). */
class ExpectedCheckTest extends SharedSpark {
    @TempDir
    Path tmp;

    private CheckReport check(RowRangeInput input, Path dir) {
        return new GradientCheck(new GradientJob(sc), 3).expected(input, dir.toString(), Tolerance.TORCH_DEFAULT);
    }

    private RowRangeInput inputOf(Fixture f) {
        Path dir = f.copyInputsTo(tmp);
        return new CsvInput(dir.resolve("X.csv").toString(), dir.resolve("Y.csv").toString(),
                dir.resolve("W.csv").toString());
    }

    @Test
    void theSeedFixtureFromNumPyPassesOnEveryTensor() {
        Fixture seed = Fixture.load("seed");
        Path dir = GradientDirs.write(tmp.resolve("seed"), seed.loss(), seed.dW(), seed.dX(), seed.dY());
        CheckReport report = check(inputOf(seed), dir);
        assertTrue(report.passed(), () -> report.toMap().toString());
        assertEquals(List.of("loss", "dW", "dX", "dY"), report.tensors().stream().map(TensorComparison::tensor).toList());
        assertEquals(40, report.tensors().get(2).compared());
    }

    @Test
    void npyFilesWrittenByNumPyAreReadAsWell() throws IOException {
        Fixture seed = Fixture.load("seed");
        Path dir = Files.createDirectories(tmp.resolve("npy"));
        for (String f : List.of("loss.txt", "dW.npy", "dX.npy", "dY.npy")) {
            try (var in = Fixture.class.getResourceAsStream("/fixtures/seed/npy_gradients/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        CheckReport report = check(inputOf(seed), dir);
        assertTrue(report.passed(), () -> report.toMap().toString());
        assertEquals(4, report.tensors().size());

        // One value of dY changed in place: the check reads the rows it is given, not a copy of its own.
        byte[] dY = Files.readAllBytes(dir.resolve("dY.npy"));
        java.nio.ByteBuffer.wrap(dY).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(dY.length - 8, 123.0);
        Files.write(dir.resolve("dY.npy"), dY);
        CheckReport changed = check(inputOf(seed), dir);
        assertEquals(List.of("dY"), changed.failedTensors());
        assertEquals(9, changed.tensors().get(3).worstRow());
        assertEquals(3, changed.tensors().get(3).worstCol());
    }

    @Test
    void theClampConventionOnTiesFailsInDWAndDXOnly() throws IOException {
        Fixture ties = Fixture.load("ties");
        Path clamp = tmp.resolve("clamp");
        Files.createDirectories(clamp);
        for (String f : List.of("loss.txt", "dW.csv", "dX.csv", "dY.csv")) {
            Files.writeString(clamp.resolve(f), Fixture.text("ties", "clamp_min0/" + f));
        }
        CheckReport report = check(inputOf(ties), clamp);
        assertFalse(report.passed());
        assertEquals(List.of("dW", "dX"), report.failedTensors());

        Path relu = GradientDirs.write(tmp.resolve("relu"), ties.loss(), ties.dW(), ties.dX(), ties.dY());
        assertTrue(check(inputOf(ties), relu).passed());
    }

    @Test
    void aScaledTransposedOrHalvedTensorFailsAndIsNamed() {
        Fixture seed = Fixture.load("seed");
        RowRangeInput input = inputOf(seed);
        assertEquals(List.of("dW"), check(input, GradientDirs.write(tmp.resolve("scaled"), null,
                GradientDirs.scaled(seed.dW(), 1.001), seed.dX(), null)).failedTensors());
        assertEquals(List.of("dW"), check(input, GradientDirs.write(tmp.resolve("transposed"), null,
                GradientDirs.transposed(seed.dW()), null, seed.dY())).failedTensors());
        assertEquals(List.of("dY"), check(input, GradientDirs.write(tmp.resolve("halved"), seed.loss(),
                seed.dW(), null, GradientDirs.scaled(seed.dY(), 0.5))).failedTensors());
    }

    @Test
    void oneZeroedRowOfDXAmongAMillionFailsAtThatRow() {
        NaiveGradient reference = LargeCase.reference();
        GradientCheck check = new GradientCheck(new GradientJob(sc), 4096);
        Path right = GradientDirs.write(tmp.resolve("right"), null, null, reference.dX, null);
        CheckReport passed = check.expected(LargeCase.input(), right.toString(), Tolerance.TORCH_DEFAULT);
        assertTrue(passed.passed(), () -> passed.toMap().toString());
        assertEquals(4_000_000, passed.tensors().get(0).compared());

        int row = 654_321;
        Path wrong = GradientDirs.write(tmp.resolve("wrong"), null, null, GradientDirs.rowZeroed(reference.dX, row), null);
        CheckReport failed = check.expected(LargeCase.input(), wrong.toString(), Tolerance.TORCH_DEFAULT);
        TensorComparison dX = failed.tensors().get(0);
        assertEquals(List.of("dX"), failed.failedTensors());
        assertEquals(nonZeros(reference.dX, row), dX.failing());
        assertEquals(row, dX.worstRow());
        assertEquals(0.0, dX.worstExpected());
    }

    @Test
    void aShapeMismatchNamesTheFileAndBothShapes() {
        Fixture seed = Fixture.load("seed");
        Matrix narrow = new Matrix(10, 3, java.util.Arrays.copyOf(seed.dX().values(), 30));
        Path dir = GradientDirs.write(tmp.resolve("narrow"), null, null, narrow, null);
        InputException e = assertThrows(InputException.class, () -> check(inputOf(seed), dir));
        assertTrue(e.getMessage().contains("dX.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("10 x 3") && e.getMessage().contains("10 x 4"), e.getMessage());

        Matrix tall = GradientDirs.transposed(new Matrix(4, 3, new double[12]));
        Path wDir = GradientDirs.write(tmp.resolve("dw"), null, tall, null, null);
        InputException w = assertThrows(InputException.class, () -> check(inputOf(seed), wDir));
        assertTrue(w.getMessage().contains("dW.csv") && w.getMessage().contains("3 x 4")
                && w.getMessage().contains("4 x 4"), w.getMessage());
    }

    @Test
    void aBadLineInAnExpectedFileIsReportedWithItsLine() throws IOException {
        Fixture seed = Fixture.load("seed");
        Path dir = GradientDirs.write(tmp.resolve("bad"), null, null, null, seed.dY());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("dY.csv")));
        lines.set(6, "1.0,2.0,oops,4.0");
        Files.write(dir.resolve("dY.csv"), lines);
        InputException e = assertThrows(InputException.class, () -> check(inputOf(seed), dir));
        assertTrue(e.getMessage().contains("dY.csv line 7"), e.getMessage());
    }

    @Test
    void aFolderWithNoGradientsOrTwoOfOneIsAnError() throws IOException {
        Fixture seed = Fixture.load("seed");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThrows(InputException.class, () -> check(inputOf(seed), empty));
        Path both = GradientDirs.write(tmp.resolve("both"), null, seed.dW(), null, null);
        Files.writeString(both.resolve("dW.npy"), "");
        InputException e = assertThrows(InputException.class, () -> check(inputOf(seed), both));
        assertTrue(e.getMessage().contains("dW.csv") && e.getMessage().contains("dW.npy"), e.getMessage());
    }

    private static long nonZeros(Matrix m, int row) {
        long n = 0;
        for (int c = 0; c < m.cols(); c++) {
            n += m.get(row, c) != 0.0 ? 1 : 0;
        }
        return n;
    }
}
