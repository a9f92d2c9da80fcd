package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.internal.fit.PlantedProblem;

/** fit --bias end to end in-process: the planted problem with a bias against SciPy's L-BFGS-B from the same start. */
class FitBiasTest extends SharedSpark {
    @TempDir
    static Path tmp;
    private static PlantedProblem planted;

    @BeforeAll
    static void writePlantedProblem() {
        planted = PlantedProblem.ofScipyBiasReference();
        NpyFile.write(tmp.resolve("X.npy"), planted.x);
        NpyFile.write(tmp.resolve("Y.npy"), planted.y);
        NpyFile.write(tmp.resolve("W0.npy"), planted.w0);
        NpyFile.write(tmp.resolve("b0.npy"), new Matrix(1, planted.b0.length, planted.b0));
    }

    private static String file(String name) {
        return tmp.resolve(name).toString();
    }

    @Test
    void recoversThePlantedWAndBAndReachesSciPysLoss() throws Exception {
        CliRun run = CliRun.of(sc, "fit", "--x", file("X.npy"), "--y", file("Y.npy"), "--w", file("W0.npy"), "--b",
                file("b0.npy"), "--bias", "--tol", "1e-10", "--partitions", "3", "--out", file("fit"));
        assertEquals(0, run.exit(), run.err());
        Path dir = tmp.resolve("fit");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("W.npy", "arguments.txt", "b.npy", "loss.svg", "summary.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Matrix w = NpyFile.read(dir.resolve("W.npy"));
        Matrix b = NpyFile.read(dir.resolve("b.npy"));
        double wError = NaiveGradient.relativeError(w, planted.wStar);
        double bError = NaiveGradient.relativeError(b, new Matrix(1, planted.bStar.length, planted.bStar));
        assertTrue(wError <= 0.02, "relative error to W*: " + wError);
        assertTrue(bError <= 0.02, "relative error to b*: " + bError);
        String summary = Files.readString(dir.resolve("summary.json"));
        String reference = Files.readString(Path.of(getClass().getResource("/fit/planted_bias_scipy.json").toURI()));
        double loss = FitCommandTest.number(summary, "loss");
        double scipy = FitCommandTest.number(reference, "loss");
        assertTrue(loss <= scipy * (1 + 1e-6), loss + " vs SciPy's " + scipy);
        assertTrue(summary.contains("\"b\": \"b.npy\""), summary);
        // The loss written is f at the W and b written, as the naive loop over [X, 1] and [W; b] computes it.
        NaiveGradient naive = new NaiveGradient(NaiveGradient.withOnes(planted.x), w.withRow(b.values()), planted.y);
        assertEquals(naive.loss, loss, 1e-12 * loss);
        System.out.printf("fit --bias: %d iterations, loss %s (SciPy %s), relative error to W* %.3e, to b* %.3e%n",
                (int) FitCommandTest.number(summary, "iterations"), loss, scipy, wError, bError);
    }

    @Test
    void aBiasStartingAtZeroAndBWithoutBiasRefused() throws Exception {
        CliRun run = CliRun.of(sc, "fit", "--x", file("X.npy"), "--y", file("Y.npy"), "--w", file("W0.npy"),
                "--bias", "--max-iter", "3", "--tol", "0", "--out", file("zero"));
        assertEquals(0, run.exit(), run.err());
        Matrix b = NpyFile.read(tmp.resolve("zero/b.npy"));
        assertEquals(1, b.rows());
        // From b0 = 0, three iterations move b towards b*: every entry has its sign.
        for (int j = 0; j < b.cols(); j++) {
            assertTrue(b.values()[j] * planted.bStar[j] > 0, "b[" + j + "] = " + b.values()[j] + ", b* = "
                    + planted.bStar[j]);
        }
        assertTrue(run.out().contains("iteration 3  loss "), run.out());

        CliRun refused = CliRun.of(sc, "fit", "--x", file("X.npy"), "--y", file("Y.npy"), "--w", file("W0.npy"),
                "--b", file("b0.npy"), "--out", file("refused"));
        assertEquals(2, refused.exit());
        assertEquals(List.of("relugrad: --b is b0 for training a bias: give --bias with it"), refused.errLines());
    }

}
