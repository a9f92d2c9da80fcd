package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;

/**
 * relugrad on YARN through the launcher, as a user runs it: scripts/local-yarn start (a ResourceManager and two
 * NodeManagers on this machine, in a folder of its own), then {@code scripts/relugrad grad --master yarn} with
 * HADOOP_CONF_DIR the folder start printed, in client and in cluster deploy mode. Both write local mode's bits, every
 * row once; a driver that fails in cluster deploy mode shows its one line and exits with its code; stop leaves no
 * process of YARN's or of any application's.
 */
class YarnIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final Path DIR = ROOT.resolve("target/yarn-it");
    private static final int N = 300_000;
    private static final int D = 16;
    private static final int K = 16;
    private static final long SEED = 3;
    private static final List<String> INPUT =
            List.of("--generate", N + "," + D + "," + K + "," + SEED, "--partitions", "6");

    @TempDir
    static Path work;

    private static Path hadoopConf;
    private static RunOutput local;
    private final List<Process> started = new ArrayList<>();

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void startYarn() throws Exception {
        yarn("stop");
        String started = yarn("start");
        hadoopConf = Path.of(started.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(Files.isRegularFile(hadoopConf.resolve("yarn-site.xml")), "start's last line: " + started);
    }

    @AfterAll
    static void stopYarnAndCheckNothingIsLeft() throws Exception {
        yarn("stop");
        assertEquals(List.of(), processes(), "processes of YARN or of its containers left after stop");
        assertEquals(List.of("logs"), OutputFiles.names(DIR));
    }

    @AfterEach
    void endLaunchers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Runs scripts/local-yarn COMMAND in the tests' own folder, owned by this JVM; fails unless it exits with 0. */
    private static String yarn(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("scripts/local-yarn").toString(), command)
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("LOCAL_YARN_DIR", DIR.toString(),
                "LOCAL_YARN_OWNER", Long.toString(ProcessHandle.current().pid())));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "local-yarn " + command + ": " + out);
        return out;
    }

    /** The processes of this YARN: its JVM (by its java.io.tmpdir) and its containers (by their environment). */
    private static List<String> processes() {
        String marker = "-Djava.io.tmpdir=" + DIR.resolve("tmp");
        String containerMarker = "RELUGRAD_LOCAL_YARN=" + DIR;
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            if (LocalCluster.arguments(p).contains(marker)) {
                found.add(p.pid() + ": " + String.join(" ", LocalCluster.arguments(p)));
            } else {
                try {
                    String environment = Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"));
                    if (List.of(environment.split("\0")).contains(containerMarker)) {
                        found.add(p.pid() + " (a container's)");
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        });
        return found;
    }

    /** Runs {@code scripts/relugrad grad ARGS} as a user would, with HADOOP_CONF_DIR (when given) and nothing else. */
    private Result relugrad(String name, Path conf, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/relugrad").toString(), "grad"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().remove("SPARK_LOCAL_IP");
        builder.environment().remove("HADOOP_CONF_DIR");
        builder.environment().remove("YARN_CONF_DIR");
        if (conf != null) {
            builder.environment().put("HADOOP_CONF_DIR", conf.toString());
        }
        Process process = builder.start();
        started.add(process);
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            throw new AssertionError("the launcher did not finish in 8 minutes: "
                    + Files.readString(work.resolve(name + ".err")));
        }
        return new Result(process.exitValue(), Files.readString(work.resolve(name + ".out")),
                Files.readString(work.resolve(name + ".err")));
    }

    private Result onYarn(String name, List<String> extra, Path out) throws Exception {
        List<String> args = new ArrayList<>(INPUT);
        args.addAll(List.of("--master", "yarn"));
        args.addAll(extra);
        args.addAll(List.of("--out", out.toString()));
        return relugrad(name, hadoopConf, args);
    }

    /** The same input in local mode, checked against the naive float64 loop on X, W, Y drawn from the JDK. */
    private RunOutput local() throws Exception {
        if (local == null) {
            Path out = work.resolve("local");
            List<String> args = new ArrayList<>(INPUT);
            args.addAll(List.of("--master", "local[2]", "--out", out.toString()));
            Result run = relugrad("local", null, args);
            assertEquals(0, run.exit(), run.err());
            local = new RunOutput(out);
            NaiveGradient expected = new NaiveGradient(NaiveGradient.generated(SEED, N, D),
                    NaiveGradient.generated(SEED + 1, D, K), NaiveGradient.generated(SEED + 2, N, K));
            double loss = local.summary().get("loss").asDouble();
            assertTrue(Math.abs(loss - expected.loss) <= 1e-12 * expected.loss, loss + " vs " + expected.loss);
            assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("dW.csv")), expected.dW) <= 1e-12);
            assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dX", N, D), expected.dX) <= 1e-12);
            assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dY", N, K), expected.dY) <= 1e-12);
        }
        return local;
    }

    private static void assertCompleteAndIdentical(RunOutput result, RunOutput expected) throws IOException {
        result.assertEveryRowOnce("dX", N, D);
        result.assertEveryRowOnce("dY", N, K);
        result.assertSameBitsAs(expected);
    }

    @Test
    void inClientModeTheResultsAreBitwiseThoseOfLocalMode() throws Exception {
        RunOutput expected = local();
        Path out = work.resolve("client");
        Result run = onYarn("client", List.of(), out);
        assertEquals(0, run.exit(), run.err());
        RunOutput result = new RunOutput(out);
        assertEquals("yarn", result.summary().get("master").asText());
        assertCompleteAndIdentical(result, expected);
    }

    @Test
    void inClusterModeTheResultsAreBitwiseThoseOfLocalModeAndTheDriversLineIsShown() throws Exception {
        RunOutput expected = local();
        Path out = work.resolve("cluster");
        Result run = onYarn("cluster", List.of("--deploy-mode", "cluster"), out);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "stderr of a run that went well");
        RunOutput result = new RunOutput(out);
        // The driver's stdout, shown by the launcher: its one line, with f to 17 digits, the same double.
        List<String> shown = run.out().lines().toList();
        assertEquals(1, shown.size(), run.out());
        String suffix = "  (n = " + N + ", d = " + D + ", k = " + K + "); wrote " + out;
        assertTrue(shown.get(0).startsWith("loss = ") && shown.get(0).endsWith(suffix), run.out());
        assertEquals(result.summary().get("loss").asDouble(),
                Double.parseDouble(shown.get(0).substring("loss = ".length(), shown.get(0).length() - suffix.length())));
        assertCompleteAndIdentical(result, expected);
    }

    @Test
    void aDriverThatFailsInClusterModeShowsItsLineAndExitsWithItsCode() throws Exception {
        Path out = Files.createDirectories(work.resolve("taken"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Result run = onYarn("taken", List.of("--deploy-mode", "cluster"), out);
        assertEquals(2, run.exit(), run.err());
        assertEquals(List.of("relugrad: " + out + ": the output folder exists; choose another or pass --overwrite"),
                run.err().lines().toList());
        assertEquals("", run.out());
        assertEquals(List.of("notes.txt"), OutputFiles.names(out), "the folder that was there, left alone");
    }

    @Test
    void withoutTheClustersConfigurationOneLineAndExit2() throws Exception {
        Path out = work.resolve("no-conf");
        List<String> args = new ArrayList<>(INPUT);
        args.addAll(List.of("--master", "yarn", "--out", out.toString()));
        Result run = relugrad("no-conf", null, args);
        assertEquals(2, run.exit(), run.err());
        assertEquals(List.of("relugrad: --master yarn needs HADOOP_CONF_DIR (or YARN_CONF_DIR), the folder of the "
                + "cluster's yarn-site.xml; scripts/local-yarn start prints one"), run.err().lines().toList());
        assertFalse(Files.exists(out));
    }
}
