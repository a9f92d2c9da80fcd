package org.relugrad.internal.io.out;

import org.relugrad.internal.io.InputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.NpyFile;
import org.relugrad.Matrix;

/** A fit's folder: checkpoints replaced whole, the newest found, a half-written one ignored, the end's files. */
class FitFolderTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void onlyTheNewestCheckpointIsKeptAndAHalfWrittenOneIsIgnored() throws Exception {
        Path dir = tmp.resolve("fit");
        FitFolder folder = FitFolder.create(dir.toString(), false, new Configuration(), OutputFormat.NPY);
        Matrix w = new Matrix(2, 1, new double[] {1.5, -2});
        for (int i = 0; i <= 2; i++) {
            folder.writeCheckpoint(i, new byte[] {(byte) i, 7}, w, null);
        }
        assertEquals(List.of("checkpoint-00002"), names(dir));
        assertEquals(List.of("W.npy", "state"), names(dir.resolve("checkpoint-00002")));
        assertArrayEquals(w.values(), NpyFile.read(dir.resolve("checkpoint-00002/W.npy")).values());
        // A driver killed while writing the next one leaves it aside, where it is not taken for a checkpoint.
        Files.createDirectories(dir.resolve("_checkpoint.tmp"));
        Files.write(dir.resolve("_checkpoint.tmp/state"), new byte[] {3});
        FitFolder again = FitFolder.resume(dir.toString(), new Configuration(), OutputFormat.NPY);
        assertArrayEquals(new byte[] {2, 7}, again.latestState().orElseThrow());
        again.writeCheckpoint(3, new byte[] {3, 7}, w, null);
        assertEquals(List.of("checkpoint-00003"), names(dir));
    }

    @Test
    void withABiasCheckpointsAndTheEndHoldBAsAOneDimensionalNpy() throws Exception {
        Path dir = tmp.resolve("fit");
        FitFolder folder = FitFolder.create(dir.toString(), false, new Configuration(), OutputFormat.NPY);
        Matrix w = new Matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6});
        double[] b = {0.25, -1.5, 3};
        folder.writeCheckpoint(4, new byte[] {4}, w, b);
        assertEquals(List.of("W.npy", "b.npy", "state"), names(dir.resolve("checkpoint-00004")));
        assertArrayEquals(b, NpyFile.read(dir.resolve("checkpoint-00004/b.npy")).values());
        folder.finish(w, b, "<svg/>", Map.of("loss", 1.0));
        assertArrayEquals(b, NpyFile.read(dir.resolve("b.npy")).values());
        assertTrue(new String(Files.readAllBytes(dir.resolve("b.npy")), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("'shape': (3,)"));
    }

    @Test
    void finishingWritesWThePlotAndTheSummaryAndRemovesTheCheckpoints() throws Exception {
        Path dir = tmp.resolve("fit");
        FitFolder folder = FitFolder.create(dir.toString(), false, new Configuration(), OutputFormat.CSV);
        folder.writeArguments(List.of("--generate", "10,2,1,3"));
        folder.writeCheckpoint(0, new byte[] {1}, new Matrix(2, 1, new double[] {0.1, 3}), null);
        folder.finish(new Matrix(2, 1, new double[] {0.1, 3}), null, "<svg/>", Map.of("loss", 2.5));
        assertEquals(List.of("W.csv", "arguments.txt", "loss.svg", "summary.json"), names(dir));
        assertEquals("0.1\n3.0\n", Files.readString(dir.resolve("W.csv")));
        assertEquals(List.of("--generate", "10,2,1,3"), folder.readArguments());
        InputException done = assertThrows(InputException.class,
                () -> FitFolder.resume(dir.toString(), new Configuration(), OutputFormat.CSV));
        assertTrue(done.getMessage().contains("holds a fit that ended"), done.getMessage());
    }

    @Test
    void overwriteReplacesAFitsFolderButNotOneOfInputs() throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Files.writeString(inputs.resolve("X.csv"), "1,2\n");
        InputException refused = assertThrows(InputException.class,
                () -> FitFolder.create(inputs.toString(), true, new Configuration(), OutputFormat.CSV));
        assertTrue(refused.getMessage().contains("not the output of an earlier fit"), refused.getMessage());
        assertTrue(Files.exists(inputs.resolve("X.csv")));

        Path dir = tmp.resolve("fit");
        FitFolder.create(dir.toString(), false, new Configuration(), OutputFormat.CSV).writeArguments(List.of("a"));
        FitFolder.create(dir.toString(), true, new Configuration(), OutputFormat.CSV);
        assertEquals(List.of(), names(dir));
    }
}
