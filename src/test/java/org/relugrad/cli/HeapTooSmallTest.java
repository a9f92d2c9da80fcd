package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.SharedSpark;

/**
 * A layer too wide for the heap (this test JVM's 3 GB) is refused before the pass starts, in one line that says how
 * much it needs and which option raises it, and leaves no output folder.
 */
class HeapTooSmallTest extends SharedSpark {
    @TempDir
    Path tmp;

    @Test
    void aLayerTooWideForTheHeapGetsOneLineNamingDriverMemoryAndWritesNothing() {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of(sc, "grad", "--generate", "10,7000,7000,1", "--outputs", "loss", "--out",
                out.toString());
        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("relugrad: a pass at d = 7000, k = 7000"), lines.get(0));
        assertTrue(lines.get(0).contains("needs about") && lines.get(0).contains("--driver-memory"), lines.get(0));
        assertTrue(!Files.exists(out), "no output folder");
    }

    @Test
    void fitWhoseLbfgsHistoryCannotFitTheDriverSaysSoBeforeThePassAndLeavesNoFolder() {
        Path out = tmp.resolve("fit");
        CliRun run = CliRun.of(sc, "fit", "--generate", "10,3600,3600,1", "--out", out.toString());
        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("relugrad: L-BFGS at d = 3600, k = 3600"), lines.get(0));
        assertTrue(lines.get(0).endsWith("g") && lines.get(0).contains("--driver-memory "), lines.get(0));
        assertTrue(!Files.exists(out), "no output folder");
    }
}
