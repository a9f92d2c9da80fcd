package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/** The command line's small promises: versions, refused settings, hints for typos, the float32 preset. */
class SmallFixesTest extends SharedSpark {
    @TempDir
    Path tmp;

    @Test
    void everyCommandPrintsTheVersionWithVersionOrV() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"grad", "--version"},
                new String[] {"check", "-V"})) {
            CliRun run = CliRun.of(sc, args);
            assertEquals(0, run.exit(), run.err());
            assertEquals(List.of("relugrad 0.1.0"), run.out().lines().toList(), String.join(" ", args));
        }
    }

    @Test
    void zeroPartitionsAreRefusedAsANegativeCountIs() {
        for (String p : List.of("0", "-3")) {
            CliRun run = CliRun.of(sc, "grad", "--generate", "10,2,2,1", "--partitions", p);
            assertEquals(2, run.exit(), run.err());
            assertEquals(List.of("relugrad: --partitions must be from 1 to 100000, was " + p), run.errLines());
        }
    }

    @Test
    void aMistypedCommandOrOptionGetsTheNearestOne() {
        CliRun command = CliRun.of(sc, "grd");
        assertEquals(2, command.exit());
        assertEquals(List.of("relugrad: unknown command 'grd' (the commands: grad, check, fit); did you mean grad?"),
                command.errLines());
        CliRun option = CliRun.of(sc, "grad", "--outptus", "loss");
        assertEquals(2, option.exit());
        assertEquals(1, option.errLines().size(), option.err());
        assertTrue(option.err().contains("; did you mean --out or --outputs?"), option.err());
    }

    /**
     * dW's elements below 0.25 moved by 5e-6: outside torch's float64 defaults (1e-8 + 1e-5·|v| < 2.6e-6), inside
     * its float32 ones (1e-5 + 1.3e-6·|v|).
     */
    @Test
    void float32TakesTorchTestingsFloat32Tolerances() throws IOException {
        Path in = Fixture.load("seed").copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        Path expected = Files.createDirectories(tmp.resolve("expected"));
        double[] dW = Fixture.load("seed").dW().values().clone();
        int moved = 0;
        for (int i = 0; i < dW.length; i++) {
            if (Math.abs(dW[i]) < 0.25) {
                dW[i] += 5e-6;
                moved++;
            }
        }
        assertTrue(moved > 0, "the fixture's dW has elements below 0.25");
        OutputFiles.writeCsv(expected.resolve("dW.csv"), new Matrix(4, 4, dW));
        String[] check = {"check", "--x", in.resolve("X.csv").toString(), "--y", in.resolve("Y.csv").toString(),
            "--w", in.resolve("W.csv").toString(), "--expected", expected.toString()};
        assertEquals(1, CliRun.of(sc, check).exit(), "float64's defaults");
        String[] float32 = java.util.Arrays.copyOf(check, check.length + 1);
        float32[check.length] = "--float32";
        CliRun run = CliRun.of(sc, float32);
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("check passed"), run.out());

        String[] both = java.util.Arrays.copyOf(float32, float32.length + 2);
        both[float32.length] = "--rtol";
        both[float32.length + 1] = "1e-3";
        CliRun refused = CliRun.of(sc, both);
        assertEquals(2, refused.exit());
        assertEquals(List.of("relugrad: --float32 sets --rtol and --atol: give one or the other"), refused.errLines());
    }
}
