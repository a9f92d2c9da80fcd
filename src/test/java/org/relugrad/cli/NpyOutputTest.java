package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/** grad writing .npy: parts per partition and --single-file, read back as np.load reads them. */
class NpyOutputTest extends SharedSpark {
    @TempDir
    Path tmp;

    private static String big(String file) {
        return Fixture.path("npy/big", file).toString();
    }

    private CliRun grad(String out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("grad", "--x", big("X.npy"), "--y", big("Y.npy"),
                "--w", big("W.npy"), "--out", tmp.resolve(out).toString()));
        args.addAll(List.of(extra));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    private static void assertNumPys(Path out, Matrix dX, Matrix dY) {
        assertTrue(NaiveGradient.relativeError(NpyFile.read(out.resolve("dW.npy")), Fixture.matrix("npy/big", "dW.csv"))
                <= 1e-12);
        assertTrue(NaiveGradient.relativeError(dX, Fixture.matrix("npy/big", "dX.csv")) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(dY, Fixture.matrix("npy/big", "dY.csv")) <= 1e-12);
    }

    @Test
    void npyInputWritesOneNpyPerPartitionInRowOrder() throws Exception {
        CliRun run = grad("out", "--partitions", "7", "--block-rows", "16");
        assertEquals(0, run.exit(), run.err());
        Path out = tmp.resolve("out");
        try (Stream<Path> parts = Files.list(out.resolve("dX"))) {
            List<String> names = parts.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(7, names.size());
            assertEquals("part-00000.npy", names.get(0));
            assertEquals("part-00006.npy", names.get(6));
        }
        // 19 blocks of 16 rows in 7 partitions: blocks [0,2), [2,5), [5,8), [8,10), [10,13), [13,16), [16,19).
        assertEquals(32, NpyFile.read(out.resolve("dX/part-00000.npy")).rows());
        assertEquals(48, NpyFile.read(out.resolve("dX/part-00001.npy")).rows());
        assertEquals(44, NpyFile.read(out.resolve("dX/part-00006.npy")).rows());
        assertNumPys(out, NpyFile.stackParts(out, "dX"), NpyFile.stackParts(out, "dY"));
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"format\": \"npy\""));
    }

    @Test
    void singleFileIsOneNpyForAllRowsThatMatchesTheParts() {
        CliRun parts = grad("parts", "--partitions", "7", "--block-rows", "16");
        CliRun single = grad("single", "--partitions", "7", "--block-rows", "16", "--single-file");
        assertEquals(0, parts.exit(), parts.err());
        assertEquals(0, single.exit(), single.err());
        Path out = tmp.resolve("single");
        Matrix dX = NpyFile.read(out.resolve("dX.npy"));
        Matrix dY = NpyFile.read(out.resolve("dY.npy"));
        assertNumPys(out, dX, dY);
        assertArrayEquals(NpyFile.stackParts(tmp.resolve("parts"), "dX").values(), dX.values());
        assertArrayEquals(NpyFile.stackParts(tmp.resolve("parts"), "dY").values(), dY.values());
        assertFalse(Files.exists(out.resolve("dX")));
        assertFalse(Files.exists(out.resolve("_temporary")));
    }

    @Test
    void singleFileWithEmptyPartitionsAndFormatChosenForCsvInput() {
        Path in = tmp.resolve("in");
        CliRun run = CliRun.of(sc, "grad", "--x", Fixture.path("seed", "X.csv").toString(),
                "--y", Fixture.path("seed", "Y.csv").toString(), "--w", Fixture.path("seed", "W.csv").toString(),
                "--out", in.toString(), "--format", "npy", "--single-file", "--partitions", "6", "--block-rows", "4");
        assertEquals(0, run.exit(), run.err());
        Fixture f = Fixture.load("seed");
        assertTrue(NaiveGradient.relativeError(NpyFile.read(in.resolve("dX.npy")), f.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.read(in.resolve("dY.npy")), f.dY()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(NpyFile.read(in.resolve("dW.npy")), f.dW()) <= 1e-12);
    }

    @Test
    void singleFileNeedsTheNpyFormat() {
        CliRun run = grad("out", "--format", "csv", "--single-file");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--single-file goes with --format npy"), run.err());
    }
}
