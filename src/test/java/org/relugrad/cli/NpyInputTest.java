package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/**
 * grad on .npy inputs written by NumPy (and so, by default, .npy outputs), against NumPy's results and the naive
 * float64 loop.
 */
class NpyInputTest extends SharedSpark {
    @TempDir
    Path tmp;
    private final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeAll
    void countFailedTasks() {
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    failedTasks.incrementAndGet();
                }
            }
        });
    }

    private static String at(String folder, String file) {
        return Fixture.path(folder, file).toString();
    }

    private CliRun grad(String x, String y, String w, String... extra) {
        String[] base = {"grad", "--x", x, "--y", y, "--w", w, "--out", tmp.resolve("out").toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(sc, args);
    }

    private double loss() throws Exception {
        return new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile()).get("loss").asDouble();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed", "ties"})
    void fixturesGiveNumPysGradients(String name) throws Exception {
        Fixture f = Fixture.load(name);
        CliRun run = grad(at(name, "X.npy"), at(name, "Y.npy"), at(name, "W.npy"), "--partitions", "3",
                "--block-rows", "2");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Math.abs(loss() - f.loss()) <= 1e-12 * Math.max(1, f.loss()));
        assertTrue(NaiveGradient.relativeError(NpyFile.read(tmp.resolve("out/dW.npy")), f.dW()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(tmp.resolve("out"), "dX"), f.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(tmp.resolve("out"), "dY"), f.dY()) <= 1e-12);
    }

    @Test
    void checkExpectedReadsAnOwnFolderWhosePartitionsHadNoRows() {
        // One block of all 10 rows in three partitions: two parts of dX and dY hold no rows, shape (0, 4).
        CliRun run = grad(at("seed", "X.npy"), at("seed", "Y.npy"), at("seed", "W.npy"), "--partitions", "3");
        assertEquals(0, run.exit(), run.err());
        CliRun check = CliRun.of(sc, "check", "--x", at("seed", "X.npy"), "--y", at("seed", "Y.npy"), "--w",
                at("seed", "W.npy"), "--expected", tmp.resolve("out").toString(), "--rtol", "0", "--atol", "0");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("compared: loss, dW, dX, dY"), check.out());
    }

    @Test
    void headerVersionsTwoAndThreeAndAnNpyWWithCsvXAndY() throws Exception {
        double expected = Fixture.load("seed").loss();
        assertEquals(0, grad(at("npy", "X_v2.npy"), at("npy", "Y_v3.npy"), at("seed", "W.csv")).exit());
        assertTrue(Math.abs(loss() - expected) <= 1e-12 * expected);
        CliRun csv = grad(at("seed", "X.csv"), at("seed", "Y.csv"), at("seed", "W.npy"), "--overwrite");
        assertEquals(0, csv.exit(), csv.err());
        assertTrue(Math.abs(loss() - expected) <= 1e-12 * expected);
    }

    @Test
    void float32InputIsTheLossOfItsExactFloat64Widening() throws Exception {
        CliRun run = grad(at("npy/f32", "X.npy"), at("npy/f32", "Y.npy"), at("npy/f32", "W.npy"));
        assertEquals(0, run.exit(), run.err());
        Matrix x = Fixture.matrix("npy/f32", "X.csv");
        NaiveGradient naive = new NaiveGradient(x, Fixture.matrix("npy/f32", "W.csv"), Fixture.matrix("npy/f32", "Y.csv"));
        double numpy = Double.parseDouble(Fixture.text("npy/f32", "loss.txt").trim());
        assertTrue(Math.abs(loss() - numpy) <= 1e-12 * numpy);
        assertTrue(Math.abs(loss() - naive.loss) <= 1e-12 * numpy);
        assertTrue(NaiveGradient.relativeError(NpyFile.read(tmp.resolve("out/dW.npy")), naive.dW) <= 1e-12);
    }

    /**
     * The float32 fixture and the same values written as float64: the same loss and dW bits, summary.json's
     * inputDtype says which is which, and the float32 blocks are cached in fewer bytes.
     */
    @Test
    void float32InputIsKeptAsFloat32WithTheBitsOfTheSameValuesAsFloat64() throws Exception {
        Path wide = Files.createDirectories(tmp.resolve("wide"));
        NpyFile.write(wide.resolve("X.npy"), Fixture.matrix("npy/f32", "X.csv"));
        NpyFile.write(wide.resolve("Y.npy"), Fixture.matrix("npy/f32", "Y.csv"));
        CliRun float64 = grad(wide.resolve("X.npy").toString(), wide.resolve("Y.npy").toString(),
                at("npy/f32", "W.npy"), "--repeat", "2", "--outputs", "loss,dW", "--block-rows", "4");
        assertEquals(0, float64.exit(), float64.err());
        JsonNode wideSummary = new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile());
        byte[] wideDW = Files.readAllBytes(tmp.resolve("out/dW.npy"));
        CliRun float32 = grad(at("npy/f32", "X.npy"), at("npy/f32", "Y.npy"), at("npy/f32", "W.npy"), "--repeat", "2",
                "--outputs", "loss,dW", "--block-rows", "4", "--overwrite");
        assertEquals(0, float32.exit(), float32.err());
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile());
        assertEquals("float64", wideSummary.get("inputDtype").asText());
        assertEquals("float32", summary.get("inputDtype").asText());
        assertEquals(Double.doubleToRawLongBits(wideSummary.get("loss").asDouble()),
                Double.doubleToRawLongBits(summary.get("loss").asDouble()), "loss bits");
        assertArrayEquals(wideDW, Files.readAllBytes(tmp.resolve("out/dW.npy")), "dW.npy, byte for byte");
        long wideBytes = wideSummary.get("cachedBytes").asLong();
        long bytes = summary.get("cachedBytes").asLong();
        assertTrue(bytes >= 10 * 8 * 4 && bytes < wideBytes, bytes + " cached bytes against " + wideBytes);
    }

    /** Many partitions each read their own row ranges of both files: every row once, the same gradient. */
    @Test
    void aFileReadInManyRangesGivesNumPysGradients() throws Exception {
        CliRun run = grad(at("npy/big", "X.npy"), at("npy/big", "Y.npy"), at("npy/big", "W.npy"),
                "--partitions", "7", "--block-rows", "16");
        assertEquals(0, run.exit(), run.err());
        double numpy = Double.parseDouble(Fixture.text("npy/big", "loss.txt").trim());
        assertTrue(Math.abs(loss() - numpy) <= 1e-12 * numpy);
        Path out = tmp.resolve("out");
        assertTrue(NaiveGradient.relativeError(NpyFile.read(out.resolve("dW.npy")),
                Fixture.matrix("npy/big", "dW.csv")) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(out, "dX"),
                Fixture.matrix("npy/big", "dX.csv")) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(out, "dY"),
                Fixture.matrix("npy/big", "dY.csv")) <= 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "X and Y rows | seed/X.npy     | npy/bad/Y9.npy | seed/W.npy     | X.npy: has 10 rows and",
        "W rows       | seed/X.npy     | seed/Y.npy     | npy/bad/W3.npy | X.npy: has 4 columns, but",
        "Fortran X    | npy/bad/fortran.npy | seed/Y.npy | seed/W.npy    | fortran.npy: is in Fortran",
        "NaN in X     | npy/bad/nan.npy | seed/Y.npy    | seed/W.npy     | nan.npy row 7: NaN in column 2",
    })
    void badInputIsOneLineNamingTheFileAndNothingIsWritten(String what, String x, String y, String w, String msg) {
        CliRun run = grad(folderFile(x), folderFile(y), folderFile(w), "--partitions", "2", "--block-rows", "3");
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains(msg), run.err());
        assertFalse(Files.exists(tmp.resolve("out/summary.json")));
        assertEquals(0, failedTasks.get(), "failed (and so retried) tasks");
    }

    private static String folderFile(String relative) {
        int slash = relative.lastIndexOf('/');
        return at(relative.substring(0, slash), relative.substring(slash + 1));
    }

    @Test
    void npyXWithCsvYIsAUsageError() {
        CliRun run = grad(at("seed", "X.npy"), at("seed", "Y.csv"), at("seed", "W.csv"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("both .npy or both CSV"), run.err());
    }
}
