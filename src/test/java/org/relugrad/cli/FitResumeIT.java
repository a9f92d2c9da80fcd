package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;

/**
 * scripts/relugrad fit with its driver killed (SIGKILL, no chance to clean up) after iteration 10, then
 * {@code fit --resume}: the same W, bit for bit, and the same histories as a run never interrupted.
 */
class FitResumeIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    /** Y is noise: no W fits it, so L-BFGS runs all 20 iterations. */
    private static final List<String> FIT = List.of("fit", "--generate", "200000,8,4,5", "--max-iter", "20",
            "--tol", "0", "--master", "local[2]");

    @TempDir
    Path tmp;
    private boolean bias;

    @ParameterizedTest(name = "bias {0}")
    @ValueSource(booleans = {false, true})
    void aDriverKilledAfterIterationTenResumesToTheUninterruptedBits(boolean bias) throws Exception {
        this.bias = bias;
        Process whole = start(tmp.resolve("whole.out"), "--out", tmp.resolve("whole").toString());
        assertEquals(0, finish(whole), Files.readString(tmp.resolve("whole.out.err")));

        Process killed = start(tmp.resolve("killed.out"), "--out", tmp.resolve("killed").toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.readString(tmp.resolve("killed.out")).contains("iteration 10 ")) {
                assertTrue(killed.isAlive(), "the run ended before iteration 10");
                assertTrue(System.nanoTime() < deadline, "no iteration 10 in 5 minutes");
                Thread.sleep(20);
            }
        } finally {
            // The launcher runs the driver's JVM as its child: kill it (SIGKILL), then the launcher.
            killed.descendants().forEach(ProcessHandle::destroyForcibly);
            killed.destroyForcibly().waitFor();
        }
        assertTrue(Files.notExists(tmp.resolve("killed/summary.json")));
        if (bias) {
            // The newest checkpoint holds b beside W, for people; the state holds both.
            try (var checkpoints = Files.list(tmp.resolve("killed"))) {
                List<Path> found = checkpoints.filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
                        .toList();
                assertTrue(!found.isEmpty() && found.stream().allMatch(p -> Files.exists(p.resolve("b.csv"))),
                        found.toString());
            }
        }

        Process resumed = start(tmp.resolve("resumed.out"), "--resume", tmp.resolve("killed").toString());
        assertEquals(0, finish(resumed), Files.readString(tmp.resolve("resumed.out.err")));
        String out = Files.readString(tmp.resolve("resumed.out"));
        Matcher from = Pattern.compile("resuming .* after iteration (\\d+)").matcher(out);
        assertTrue(from.find(), out);
        assertTrue(Integer.parseInt(from.group(1)) >= 10, out);
        assertTrue(out.contains("iteration 20 "), out);

        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/W.csv")), Files.readAllBytes(tmp.resolve("killed/W.csv")));
        if (bias) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/b.csv")),
                    Files.readAllBytes(tmp.resolve("killed/b.csv")));
        }
        assertEquals(histories(tmp.resolve("whole/summary.json")), histories(tmp.resolve("killed/summary.json")));

        // Equal bits could be equally wrong: f at W0 and at the W written against the naive float64 loop over the
        // rows of --generate 200000,8,4,5, made from the JDK's SplittableRandom as the generator documents (X seed
        // 5, W0 (the input's W) seed 6, Y seed 7).
        String summary = Files.readString(tmp.resolve("killed/summary.json"));
        Matrix x = NaiveGradient.generated(5, 200_000, 8);
        Matrix y = NaiveGradient.generated(7, 200_000, 4);
        Matrix w0 = NaiveGradient.generated(6, 8, 4);
        Matrix w = Fixture.matrixAt(tmp.resolve("killed/W.csv"));
        if (bias) {
            // With a bias, f at [W; b] over X with a column of ones; b0 = 0.
            x = NaiveGradient.withOnes(x);
            w0 = w0.withRow(new double[4]);
            w = w.withRow(Fixture.matrixAt(tmp.resolve("killed/b.csv")).values());
        }
        double atW0 = new NaiveGradient(x, w0, y).loss;
        double atW = new NaiveGradient(x, w, y).loss;
        assertEquals(atW0, FitCommandTest.list(summary, "lossHistory")[0], 1e-12 * atW0, "f at W0");
        assertEquals(atW, FitCommandTest.number(summary, "loss"), 1e-12 * atW, "f at the W written");
        assertTrue(atW < atW0, "20 iterations lowered f: " + atW0 + " to " + atW);
    }


    private Process start(Path stdout, String... more) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("scripts/relugrad").toString());
        // --resume takes the input and settings, --bias among them, from the folder.
        command.addAll(more[0].equals("--resume") ? List.of("fit", "--master", "local[2]") : FIT);
        if (bias && !more[0].equals("--resume")) {
            command.add("--bias");
        }
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().remove("SPARK_HOME");
        return builder.redirectOutput(stdout.toFile())
                .redirectError(stdout.resolveSibling(stdout.getFileName() + ".err").toFile()).start();
    }

    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 5 minutes");
        }
        return process.exitValue();
    }

    private static String histories(Path summary) throws Exception {
        String json = Files.readString(summary);
        Matcher m = Pattern.compile("\"(lossHistory|gradientNormHistory|loss|stopReason)\": [^\\n]*").matcher(json);
        StringBuilder found = new StringBuilder();
        while (m.find()) {
            found.append(m.group()).append('\n');
        }
        return found.toString();
    }
}
