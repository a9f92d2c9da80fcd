package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.Matrix;

/**
 * What scripts/relugrad says and how it exits when a run on a standalone cluster (scripts/local-cluster, in a
 * folder and on ports of its own) ends: a driver in cluster deploy mode, waited for and ended as it ended, and a
 * job whose executor is lost past Spark's retries. Each failure is one line on stderr, an exit code, and no output
 * folder.
 */
class ClusterFailuresIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();

    @TempDir
    static Path work;

    private static LocalCluster cluster;
    private final List<Process> started = new ArrayList<>();

    private record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(ROOT, ROOT.resolve("target/cluster-failures-it"));
        cluster.stop();
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.stop();
            assertEquals(List.of(), cluster.jvms(), "JVMs of the cluster left after stop");
        }
    }

    @AfterEach
    void endLaunchers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Starts {@code scripts/relugrad grad ARGS}, its drivers' scratch in the cluster's folder (stop ends them). */
    private Process launch(String name, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/relugrad").toString(), "grad",
                "--master", cluster.masterUrl(), "--driver-java-options", "-Djava.io.tmpdir=" + cluster.tmp()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile()).redirectError(work.resolve(name + ".err").toFile());
        builder.environment().remove("SPARK_HOME");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static Result end(String name, Process process) throws Exception {
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            throw new AssertionError("the launcher did not finish in 4 minutes");
        }
        return new Result(process.exitValue(), Files.readString(work.resolve(name + ".out")),
                Files.readString(work.resolve(name + ".err")));
    }

    private Result run(String name, List<String> args) throws Exception {
        return end(name, launch(name, args));
    }

    /** The master's web UI port, so that the launcher finds the driver's worker and its log there. */
    private List<String> clusterDeployMode() {
        return List.of("--deploy-mode", "cluster", "--conf", "spark.master.ui.port=" + cluster.uiPort());
    }

    @Test
    void aDriverThatSucceedsInClusterDeployModeShowsItsResultAndExitsZero() throws Exception {
        Path out = work.resolve("cluster-ok");
        List<String> args = new ArrayList<>(clusterDeployMode());
        args.addAll(List.of("--generate", "1000,4,3,5", "--out", out.toString()));
        Result run = run("cluster-ok", args);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "stderr of a run that went well");
        NaiveGradient expected = new NaiveGradient(NaiveGradient.generated(5, 1000, 4), NaiveGradient.generated(6, 4, 3),
                NaiveGradient.generated(7, 1000, 3));
        double loss = new RunOutput(out).summary().get("loss").asDouble();
        assertTrue(Math.abs(loss - expected.loss) <= 1e-12 * expected.loss, loss + " vs " + expected.loss);
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("dW.csv")), expected.dW) <= 1e-12);
        List<String> shown = run.out().lines().toList();
        assertEquals(1, shown.size(), "the driver's stdout: " + run.out());
        String suffix = "  (n = 1000, d = 4, k = 3); wrote " + out;
        assertTrue(shown.get(0).startsWith("loss = ") && shown.get(0).endsWith(suffix), run.out());
        assertEquals(loss, Double.parseDouble(shown.get(0).substring(7, shown.get(0).length() - suffix.length())));
    }

    @Test
    void aDriverThatFailsInClusterDeployModeShowsItsLineAndExitsWithItsCode() throws Exception {
        Path out = Files.createDirectories(work.resolve("taken"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        List<String> args = new ArrayList<>(clusterDeployMode());
        args.addAll(List.of("--generate", "1000,4,3,5", "--out", out.toString()));
        Result run = run("cluster-taken", args);
        assertEquals(2, run.exit(), run.err());
        assertEquals(List.of("relugrad: " + out + ": the output folder exists; choose another or pass --overwrite"),
                run.errLines());
        assertEquals("", run.out());
        assertEquals(List.of("notes.txt"), OutputFiles.names(out), "the folder that was there, left alone");
    }

    @Test
    void anExecutorLostPastSparksRetriesIsOneLineAndLeavesNoFolder() throws Exception {
        Path out = work.resolve("executor-lost");
        // Progress off: a run this long would show a progress line every 10 s besides the one failure line.
        Process launcher = launch("executor-lost", List.of("--conf", "spark.task.maxFailures=1",
                "--generate", "360000,16,16,7", "--partitions", "16", "--progress", "off", "--out", out.toString()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (attemptFiles(out) == 0 || cluster.executors().size() < 2) {
            if (!launcher.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the run ended, or timed out, before its tasks began");
            }
            Thread.sleep(50);
        }
        // SIGKILL, as kill -9, to both: whichever runs the task that began is lost with it.
        cluster.executors().forEach(ProcessHandle::destroyForcibly);
        Result run = end("executor-lost", launcher);
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().matches("relugrad: executor \\d+ on 127\\.0\\.0\\.1 was lost while it ran a task \\("
                + "Command exited with code 137\\), and the task has now failed 1 time, as many as "
                + "spark\\.task\\.maxFailures allows; nothing was kept: .*\n"), run.err());
        assertFalse(Files.exists(out), "an output folder after a failed run");
    }

    /** Attempt files the tasks have begun under DIR/_temporary: each is a task that has started. */
    private static long attemptFiles(Path out) {
        try (Stream<Path> files = Files.walk(out.resolve("_temporary"))) {
            return files.filter(p -> p.getFileName().toString().contains(".attempt-")).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;  // not there yet, or being removed
        }
    }
}
