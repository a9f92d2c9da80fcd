package org.relugrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.synthetic.ExampleInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.out.OutputFolder;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/** The whole job in local[2] against the fixtures and the naive float64 loop. */
class GradientJobTest extends SharedSpark {
    private static final Set<Output> ALL = EnumSet.allOf(Output.class);

    @TempDir
    Path tmp;

    private record Run(GradientResult result, Matrix dX, Matrix dY, Path dir) {
    }

    private Run run(RowRangeInput input, int partitions, int blockRows, Set<Output> outputs, String name) {
        Path dir = tmp.resolve(name);
        OutputFolder folder = OutputFolder.create(dir.toString(), false, sc.hadoopConfiguration());
        GradientJob job = new GradientJob(sc);
        GradientResult result = job.run(job.prepare(input, partitions, blockRows), outputs, folder);
        Matrix dX = outputs.contains(Output.DX) ? OutputFiles.perRow(dir, "dX", result.rows(), result.d()) : null;
        Matrix dY = outputs.contains(Output.DY) ? OutputFiles.perRow(dir, "dY", result.rows(), result.k()) : null;
        return new Run(result, dX, dY, dir);
    }

    private CsvInput csv(Matrix x, Matrix y, Matrix w, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in-" + name));
        return new CsvInput(OutputFiles.writeCsv(dir.resolve("X.csv"), x).toString(),
                OutputFiles.writeCsv(dir.resolve("Y.csv"), y).toString(),
                OutputFiles.writeCsv(dir.resolve("W.csv"), w).toString());
    }

    private static void assertClose(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual);
    }

    private static void assertClose(Matrix expected, Matrix actual, double rel, String what) {
        double e = NaiveGradient.relativeError(actual, expected);
        assertTrue(e <= rel, what + ": normwise relative error " + e);
    }

    @Test
    void seedFixtureFromCsvMatchesNumPyWithin1e12() throws Exception {
        Fixture f = Fixture.load("seed");
        Path in = f.copyInputsTo(Files.createDirectories(tmp.resolve("seed")));
        Run run = run(new CsvInput(in.resolve("X.csv").toString(), in.resolve("Y.csv").toString(),
                in.resolve("W.csv").toString()), 3, 4, ALL, "seed-out");
        assertClose(f.loss(), run.result().loss(), 1e-12, "loss");
        assertClose(f.dW(), run.result().dW(), 1e-12, "dW");
        assertClose(f.dX(), run.dX(), 1e-12, "dX");
        assertClose(f.dY(), run.dY(), 1e-12, "dY");
        assertEquals(10, run.result().rows());
    }

    @Test
    void builtInExampleIsTheSeedFixture() {
        Fixture f = Fixture.load("seed");
        Run run = run(new ExampleInput(), 2, org.relugrad.Blocking.CHOSEN_BLOCK_ROWS, ALL, "example");
        assertEquals(f.loss(), run.result().loss(), "the exact sum rounded once is NumPy's pairwise result here");
        assertClose(f.dW(), run.result().dW(), 1e-12, "dW");
        assertClose(f.dX(), run.dX(), 1e-12, "dX");
        assertClose(f.dY(), run.dY(), 1e-12, "dY");
    }

    @Test
    void tiesFixturePassesNoGradientThroughZEqualsZero() throws Exception {
        Fixture f = Fixture.load("ties");
        Run run = run(csv(f.x(), f.y(), f.w(), "ties"), 2, 2, ALL, "ties-out");
        assertEquals(f.loss(), run.result().loss());
        assertEquals(0.0, NaiveGradient.relativeError(run.result().dW(), f.dW()), "dW exactly");
        assertEquals(0.0, NaiveGradient.relativeError(run.dX(), f.dX()), "dX exactly");
        assertEquals(0.0, NaiveGradient.relativeError(run.dY(), f.dY()), "dY exactly");
        // Row 0 of X is all zero, so every z in it is 0: with ReLU'(0) = 0 its dX row is zero.
        for (int c = 0; c < f.x().cols(); c++) {
            assertEquals(0.0, run.dX().get(0, c));
        }
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} B={3} P={4}")
    @CsvSource({
        "1, 1, 1, 4096, 9",
        "3, 2, 5, 1, 9",
        "5000, 70, 3, 333, 7",
        "4999, 3, 70, 500, 4",
        "777, 64, 65, 100, 1",
        "1234, 1, 1, 64, 5",
        "2049, 17, 9, 4096, 2"
    })
    void csvInputMatchesTheNaiveLoop(int n, int d, int k, int blockRows, int partitions) throws Exception {
        Random random = new Random(31L * n + 7L * d + k);
        Matrix x = NaiveGradient.random(random, n, d);
        Matrix w = NaiveGradient.random(random, d, k);
        Matrix y = NaiveGradient.random(random, n, k);
        NaiveGradient expected = new NaiveGradient(x, w, y);
        Run run = run(csv(x, y, w, "rand"), partitions, blockRows, ALL, "rand-out");
        assertClose(expected.loss, run.result().loss(), 1e-12, "loss");
        assertClose(expected.dW, run.result().dW(), 1e-12, "dW");
        assertClose(expected.dX, run.dX(), 1e-12, "dX");
        assertClose(expected.dY, run.dY(), 1e-12, "dY");
        assertEquals(partitions, run.result().partitions());
    }

    @Test
    void gzippedCsvFilesAreReadLikePlainOnes() throws Exception {
        Fixture f = Fixture.load("seed");
        Path dir = Files.createDirectories(tmp.resolve("gz"));
        for (String name : java.util.List.of("X", "Y", "W")) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".csv.gz")))) {
                out.write(Fixture.text("seed", name + ".csv").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        Run run = run(new CsvInput(dir.resolve("X.csv.gz").toString(), dir.resolve("Y.csv.gz").toString(),
                dir.resolve("W.csv.gz").toString()), 2, 3, ALL, "gz-out");
        assertClose(f.loss(), run.result().loss(), 1e-12, "loss");
        assertClose(f.dW(), run.result().dW(), 1e-12, "dW");
        assertClose(f.dX(), run.dX(), 1e-12, "dX");
    }

    @Test
    void aFolderOfPartFilesIsReadInNameOrder() throws Exception {
        Fixture f = Fixture.load("seed");
        Path in = f.copyInputsTo(Files.createDirectories(tmp.resolve("folder-in")));
        Path xs = Files.createDirectories(tmp.resolve("xs"));
        java.util.List<String> rows = Files.readAllLines(in.resolve("X.csv"));
        for (int r = 0; r < rows.size(); r++) {
            Files.writeString(xs.resolve(String.format("part-%05d", r)), rows.get(r) + "\n");
        }
        Files.writeString(xs.resolve("_SUCCESS"), "");
        Run run = run(new CsvInput(xs.toString(), in.resolve("Y.csv").toString(), in.resolve("W.csv").toString()),
                3, 4, ALL, "folder-out");
        assertClose(f.loss(), run.result().loss(), 1e-12, "loss");
        assertClose(f.dW(), run.result().dW(), 1e-12, "dW");
        assertClose(f.dX(), run.dX(), 1e-12, "dX");
    }

    @Test
    void lossAndDWAloneWriteNoPerRowFolders() throws Exception {
        Fixture f = Fixture.load("seed");
        Run run = run(csv(f.x(), f.y(), f.w(), "only"), 2, 3, EnumSet.of(Output.LOSS, Output.DW), "only-out");
        assertClose(f.loss(), run.result().loss(), 1e-12, "loss");
        assertClose(f.dW(), run.result().dW(), 1e-12, "dW");
        assertFalse(Files.exists(run.dir().resolve("dX")));
        assertFalse(Files.exists(run.dir().resolve("dY")));
    }

    @Test
    void everyPartitionWritesOnePartEvenWhenEmpty() throws Exception {
        Fixture f = Fixture.load("seed");
        Run run = run(csv(f.x(), f.y(), f.w(), "parts"), 7, 4, ALL, "parts-out");
        try (var parts = Files.list(run.dir().resolve("dX"))) {
            assertEquals(7, parts.count());
        }
    }

    @ParameterizedTest(name = "d={0} k={1}: {2} rows")
    @CsvSource({"4, 4, 65535", "1, 1, 65535", "16, 16, 16383", "64, 64, 4095", "512, 256, 4095", "100, 28, 4095",
        "50000, 1, 2684", "2048, 2048, 4095", "4096, 16384, 1023", "1024, 65536, 255"})
    void theChosenBlockSizeHoldsAbout4MiBOfXAndYWithin4095To65535RowsAndWideBlocksWithin512MiB(int d, int k, int rows) {
        assertEquals(rows, BlockPlan.defaultBlockRows(d, k));
    }
}
