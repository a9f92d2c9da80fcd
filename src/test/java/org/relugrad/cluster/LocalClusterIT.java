package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.Matrix;

/**
 * relugrad on a real standalone cluster (scripts/local-cluster: a master, two 1-core workers and their executors,
 * each a JVM of its own), submitted in client mode through scripts/relugrad and in cluster deploy mode through
 * spark-submit, undisturbed and while JVMs are killed.
 *
 * <p>Every run computes the same synthetic input in the same partitions, so every complete run must write the same
 * bits. The jobs are made long enough to be hit mid-way by their size alone; "mid-way" is read off the output
 * folder: attempt files under DIR/_temporary show which tasks have started, summary.json that the run is over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final int N = 360_000;
    private static final int D = 16;
    private static final int K = 16;
    private static final long SEED = 7;
    private static final int PARTITIONS = 16;
    private static final List<String> INPUT =
            List.of("--generate", N + "," + D + "," + K + "," + SEED, "--partitions", Integer.toString(PARTITIONS));

    @TempDir
    static Path work;

    private static LocalCluster cluster;
    private static RunOutput local;
    private static RunOutput undisturbed;
    private final List<Submission> submitted = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(ROOT, ROOT.resolve("target/cluster-it"));
        cluster.stop();
        cluster.start();
    }

    @AfterAll
    static void stopClusterAndCheckNothingIsLeft() throws Exception {
        if (cluster == null) {
            return;
        }
        cluster.stop();
        assertEquals(List.of(), cluster.jvms(), "JVMs of the cluster left after stop");
        assertTrue(cluster.stop().contains("not running"), "stop again: nothing to do");
        assertEquals(List.of("logs"), OutputFiles.names(ROOT.resolve("target/cluster-it")));
    }

    /** A test that stopped a worker leaves it stopped: start brings back what is missing. */
    @BeforeEach
    void clusterComplete() throws Exception {
        cluster.start();
    }

    @AfterEach
    void endSubmissions() {
        submitted.forEach(Submission::kill);
    }

    private Submission submit(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(INPUT);
        args.addAll(List.of(extra));
        if (!args.contains("--master")) {
            args.addAll(List.of("--master", cluster.masterUrl()));
        }
        Submission s = Submission.start(ROOT, work, work.resolve(name), args, cluster.tmp());
        submitted.add(s);
        return s;
    }

    /** The same input in local mode, checked against the naive float64 loop on X, W, Y drawn from the JDK. */
    private RunOutput local() throws Exception {
        if (local == null) {
            RunOutput run = new RunOutput(submit("local", "--master", "local[2]").succeeds().out());
            NaiveGradient expected = new NaiveGradient(NaiveGradient.generated(SEED, N, D),
                    NaiveGradient.generated(SEED + 1, D, K), NaiveGradient.generated(SEED + 2, N, K));
            double loss = run.summary().get("loss").asDouble();
            assertTrue(Math.abs(loss - expected.loss) <= 1e-12 * expected.loss, loss + " vs " + expected.loss);
            assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(run.dir().resolve("dW.csv")), expected.dW) <= 1e-12);
            assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(run.dir(), "dX", N, D), expected.dX) <= 1e-12);
            assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(run.dir(), "dY", N, K), expected.dY) <= 1e-12);
            local = run;
        }
        return local;
    }

    private RunOutput undisturbed() throws Exception {
        if (undisturbed == null) {
            RunOutput run = new RunOutput(submit("undisturbed").succeeds().out());
            assertEquals(cluster.masterUrl(), run.summary().get("master").asText());
            undisturbed = run;
        }
        return undisturbed;
    }

    /**
     * At least one task done and two thirds of the tasks yet to start: each 1-core executor runs one task at a time,
     * so with three attempt files one task has ended; with at most a third of them the job has seconds to go.
     */
    private static boolean tasksDoneAndToCome(Submission run) {
        try {
            long started = run.attemptFiles("dY");
            return started >= 3 && started <= PARTITIONS / 3 && !Files.exists(run.out().resolve("summary.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void startIsIdempotentAndStatusSaysWhatRuns() throws Exception {
        assertTrue(cluster.start().contains("already running"));
        String status = cluster.status();
        assertTrue(status.contains("2 alive workers"), status);
        assertEquals(3, cluster.jvms().size(), "master and two workers: " + status);
    }

    @Test
    @Order(1)
    void theClusterListensOnLoopbackOnly() throws Exception {
        List<InetSocketAddress> listening = cluster.listening();
        List<Integer> ports = listening.stream().map(InetSocketAddress::getPort).toList();
        assertTrue(ports.containsAll(List.of(cluster.port(), cluster.uiPort())), listening.toString());
        // Master and workers: an RPC port and a web UI each.
        assertEquals(6, listening.size(), listening.toString());
        for (InetSocketAddress address : listening) {
            assertTrue(address.getAddress().isLoopbackAddress(), "listens beyond loopback: " + address);
        }
    }

    @Test
    @Order(2)
    void resultsOnTheClusterAreBitwiseThoseOfLocalMode() throws Exception {
        RunOutput cluster = undisturbed();
        assertCompleteAndIdentical(cluster, local());
    }

    @Test
    @Order(3)
    void theDocumentedSparkSubmitCommandRunsInClusterDeployMode() throws Exception {
        RunOutput expected = undisturbed();
        Submission run = Submission.sparkSubmit(ROOT, work, work.resolve("cluster-mode"),
                List.of("--master", cluster.masterUrl(), "--deploy-mode", "cluster",
                        "--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1",
                        "--conf", "spark.standalone.submit.waitAppCompletion=true"), INPUT, cluster.tmp());
        submitted.add(run);
        RunOutput result = new RunOutput(run.succeeds().out());
        assertEquals(1, cluster.driverFolders().size(), "the driver ran on a worker");
        assertEquals(cluster.masterUrl(), result.summary().get("master").asText());
        assertCompleteAndIdentical(result, expected);
    }

    @Test
    @Order(4)
    void anExecutorKilledMidJobLosesNothing() throws Exception {
        RunOutput expected = undisturbed();
        Submission run = submit("executor-killed");
        run.awaitWhileRunning("tasks to finish", () -> tasksDoneAndToCome(run) && cluster.executors().size() == 2);
        ProcessHandle executor = cluster.executors().get(0);
        executor.destroyForcibly();  // SIGKILL, as kill -9
        executor.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(run.out().resolve("summary.json")), "the executor died before the job ended");

        RunOutput result = new RunOutput(run.succeeds().out());
        assertCompleteAndIdentical(result, expected);
    }

    @Test
    @Order(5)
    void aDriverKilledMidJobLeavesNoSummaryAndARerunReplacesItsFolder() throws Exception {
        RunOutput expected = undisturbed();
        Submission run = submit("driver-killed");
        run.awaitWhileRunning("tasks to start", () -> tasksDoneAndToCome(run));
        ProcessHandle driver = run.driver();
        driver.destroyForcibly();  // SIGKILL, as kill -9
        driver.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(run.exit() != 0);
        assertTrue(Files.isDirectory(run.out().resolve("_temporary")), "the killed run's attempt files");
        assertFalse(Files.exists(run.out().resolve("summary.json")));

        Submission rerun = submit("driver-killed", "--overwrite");
        RunOutput result = new RunOutput(rerun.succeeds().out());
        assertEquals(List.of("dW.csv", "dX", "dY", "summary.json"), OutputFiles.names(result.dir()));
        assertCompleteAndIdentical(result, expected);
    }

    @Test
    @Order(6)
    void aWorkerStoppedForGoodMidJobLeavesTheJobToTheOther() throws Exception {
        RunOutput expected = undisturbed();
        Submission run = submit("worker-stopped");
        run.awaitWhileRunning("tasks to finish", () -> tasksDoneAndToCome(run) && cluster.executors().size() == 2);
        ProcessHandle worker = cluster.worker(2);
        List<ProcessHandle> itsExecutors = worker.descendants().filter(cluster.executors()::contains).toList();
        assertEquals(1, itsExecutors.size(), "the worker's executor");
        worker.destroy();  // SIGTERM: the worker stops, and its executor with it
        itsExecutors.get(0).onExit().get(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(run.out().resolve("summary.json")), "the worker stopped before the job ended");
        worker.onExit().get(60, TimeUnit.SECONDS);

        RunOutput result = new RunOutput(run.succeeds().out());
        assertEquals(1, cluster.masterState().get("aliveworkers").asInt(), "one worker left");
        assertCompleteAndIdentical(result, expected);
    }

    /**
     * A wide layer (d = k = 2048) in more partitions than blocks: the executors reduce ∂f/∂W in slices among
     * themselves, and loss and ∂f/∂W are the bits of local mode, where one executor rounds the whole sum.
     */
    @Test
    @Order(8)
    void aWideLayerIsReducedInSlicesAcrossTheExecutorsToLocalModesBits() throws Exception {
        List<String> wide = List.of("--generate", "4096,2048,2048,11", "--partitions", "8", "--block-rows", "1024",
                "--outputs", "loss,dW");
        RunOutput inLocalMode = wideRun("wide-local", wide, "local[2]");
        RunOutput onCluster = wideRun("wide-cluster", wide, cluster.masterUrl());
        assertEquals("sliced", onCluster.summary().get("aggregation").asText());
        assertEquals("sliced", inLocalMode.summary().get("aggregation").asText());
        assertEquals(inLocalMode.lossText(), onCluster.lossText(), "loss");
        assertEquals(-1, Files.mismatch(inLocalMode.dir().resolve("dW.csv"), onCluster.dir().resolve("dW.csv")),
                "dW.csv differs from local mode's");
    }

    private RunOutput wideRun(String name, List<String> input, String master) throws Exception {
        List<String> args = new ArrayList<>(input);
        args.addAll(List.of("--master", master));
        Submission s = Submission.start(ROOT, work, work.resolve(name), args, cluster.tmp());
        submitted.add(s);
        return new RunOutput(s.succeeds().out());
    }

    /** Every row of dX and dY exactly once, and loss, dW, dX and dY the same bits as {@code expected}'s. */
    private static void assertCompleteAndIdentical(RunOutput result, RunOutput expected) throws IOException {
        result.assertEveryRowOnce("dX", N, D);
        result.assertEveryRowOnce("dY", N, K);
        result.assertSameBitsAs(expected);
    }
}
