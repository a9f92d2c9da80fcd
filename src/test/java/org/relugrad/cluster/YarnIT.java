package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.OutputFiles;
import org.relugrad.hdfs.HdfsScript;

/**
 * relugrad on YARN through the launcher, as a user runs it: scripts/local-yarn start (a ResourceManager and two
 * NodeManagers on this machine, in a folder of its own), then {@code scripts/relugrad grad --master yarn} with
 * HADOOP_CONF_DIR the folder start printed, in client and in cluster deploy mode. Both write local mode's bits, every
 * row once; a driver that fails in cluster deploy mode shows its one line and exits with its code; inputs read from
 * and results written to the HDFS of scripts/local-hdfs are local mode's bits; a NodeManager stopped mid-job (its
 * executor killed with it) costs nothing; stop leaves no process of YARN's or of any application's.
 *
 * <p>The test that stops a NodeManager runs last: the one left cannot hold a cluster deploy mode's driver and two
 * executors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final Path DIR = ROOT.resolve("target/yarn-it");
    private static final int N = 300_000;
    private static final int D = 16;
    private static final int K = 16;
    private static final long SEED = 3;
    private static final List<String> INPUT =
            List.of("--generate", N + "," + D + "," + K + "," + SEED, "--partitions", "6");
    /** The rows of the input stored on HDFS: .npy files of --generate's matrices for seed HDFS_SEED. */
    private static final int HDFS_N = 100_000;
    private static final long HDFS_SEED = 7;
    /**
     * Executors of 1600 MiB, whose containers (2 GiB with Spark's overhead) the NodeManagers (3 GiB) hold one each,
     * beside the application master's (1 GiB): so the two executors run on both NodeManagers.
     */
    private static final String EXECUTOR_MEMORY = "1600m";
    /**
     * Passes over the cached blocks in the run that loses a NodeManager: long enough to stop one mid-job (a pass
     * took 0.1 to 0.5 s in trials).
     */
    private static final int REPEAT = 600;
    private static final Pattern ITERATION = Pattern.compile("relugrad: iteration ([0-9]+)/([0-9]+):.*");
    private static final String EXECUTOR_CLASS = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";
    private static final String APPLICATION_MASTER_CLASS = "org.apache.spark.deploy.yarn.ExecutorLauncher";

    @TempDir
    static Path work;

    private static Path hadoopConf;
    private static RunOutput local;
    private final List<Process> started = new ArrayList<>();
    private final List<Submission> submitted = new ArrayList<>();

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
        submitted.forEach(Submission::kill);
    }

    /** Runs scripts/local-yarn COMMAND in the tests' own folder, owned by this JVM; fails unless it exits with 0. */
    private static String yarn(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("scripts/local-yarn").toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(Map.of("LOCAL_YARN_DIR", DIR.toString(),
                "LOCAL_YARN_OWNER", Long.toString(ProcessHandle.current().pid())));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0,
                "local-yarn " + String.join(" ", command) + ": " + out);
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
            } else if (environment(p).contains(containerMarker)) {
                found.add(p.pid() + " (a container's)");
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
    @Order(1)
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
    @Order(2)
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
    @Order(3)
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
    @Order(4)
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

    /**
     * .npy inputs on the HDFS of scripts/local-hdfs, read by YARN's containers, and the results written there, in
     * client and in cluster deploy mode: every row once, the bits of local mode on the same files on the local disk
     * (themselves checked against the naive float64 loop).
     */
    @Test
    @Order(5)
    void inputsAndResultsOnHdfsGiveLocalModesBitsInBothDeployModes() throws Exception {
        Matrix x = NaiveGradient.generated(HDFS_SEED, HDFS_N, D);
        Matrix w = NaiveGradient.generated(HDFS_SEED + 1, D, K);
        Matrix y = NaiveGradient.generated(HDFS_SEED + 2, HDFS_N, K);
        Path in = Files.createDirectories(work.resolve("hdfs-in"));
        NpyFile.write(in.resolve("X.npy"), x);
        NpyFile.write(in.resolve("Y.npy"), y);
        NpyFile.write(in.resolve("W.npy"), w);

        Path localOut = work.resolve("hdfs-local");
        Result reference = relugrad("hdfs-local", null,
                npyRun(in.toString(), "--master", "local[2]", "--out", localOut.toString()));
        assertEquals(0, reference.exit(), reference.err());
        RunOutput expected = new RunOutput(localOut);
        NaiveGradient naive = new NaiveGradient(x, w, y);
        double loss = expected.summary().get("loss").asDouble();
        assertTrue(Math.abs(loss - naive.loss) <= 1e-12 * naive.loss, loss + " vs " + naive.loss);
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(localOut.resolve("dW.csv")), naive.dW) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(localOut, "dX", HDFS_N, D), naive.dX) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(localOut, "dY", HDFS_N, K), naive.dY) <= 1e-12);

        HdfsScript hdfs = new HdfsScript(ROOT, ROOT.resolve("target/yarn-it-hdfs"));
        hdfs.stop();
        hdfs.start();
        try (FileSystem fs = FileSystem.newInstance(URI.create(hdfs.uri()), new Configuration())) {
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(in.toUri()),
                    new org.apache.hadoop.fs.Path(hdfs.uri() + "/in"));
            for (String mode : List.of("client", "cluster")) {
                String out = hdfs.uri() + "/out/" + mode;
                Result run = relugrad("hdfs-" + mode, hadoopConf, npyRun(hdfs.uri() + "/in", "--master", "yarn",
                        "--deploy-mode", mode, "--conf", "spark.hadoop.dfs.replication=2", "--out", out));
                assertEquals(0, run.exit(), mode + ": " + run.err());
                Path copy = work.resolve("hdfs-" + mode + "-copy");
                fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(out),
                        new org.apache.hadoop.fs.Path(copy.toUri()), true);
                RunOutput result = new RunOutput(copy);
                assertEquals("yarn", result.summary().get("master").asText());
                result.assertEveryRowOnce("dX", HDFS_N, D);
                result.assertEveryRowOnce("dY", HDFS_N, K);
                result.assertSameBitsAs(expected);
            }
        } finally {
            hdfs.stop();
        }
        assertEquals(List.of(), hdfs.jvms(), "the HDFS JVM left after stop");
    }

    /** {@code grad} on DIR/X.npy, Y.npy and W.npy in 4 partitions, written as CSV, with {@code extra}. */
    private static List<String> npyRun(String dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--x", dir + "/X.npy", "--y", dir + "/Y.npy", "--w",
                dir + "/W.npy", "--partitions", "4", "--format", "csv"));
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * In client deploy mode, a NodeManager stopped while the job runs (scripts/local-yarn stop-nodemanager, which
     * waits until its containers' processes are gone) takes its executor with it; the driver goes on with the other
     * NodeManager's executor, computes again what was lost (the cached blocks too), and writes local mode's bits,
     * every row once. Runs last: the NodeManager stays stopped.
     */
    @Test
    @Order(6)
    void aNodeManagerStoppedMidJobLosesNothing() throws Exception {
        RunOutput expected = local();
        List<String> args = new ArrayList<>(INPUT);
        // The job begins once both executors have registered (Spark's default: 80 % of them, or after 30 s; a
        // container took up to 50 s to start in trials on a loaded machine).
        args.addAll(List.of("--master", "yarn", "--executor-memory", EXECUTOR_MEMORY,
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=300s",
                "--repeat", Integer.toString(REPEAT), "--progress", "0.5"));
        Submission run = Submission.start(ROOT, work, work.resolve("nodemanager-stopped"), args,
                Files.createDirectories(work.resolve("driver-tmp")), Map.of("HADOOP_CONF_DIR", hadoopConf.toString()));
        submitted.add(run);
        run.awaitWhileRunning("passes over the cached blocks by executors on both NodeManagers",
                () -> iteration(run) >= 2 && executorsByNodeManager().keySet().size() == 2);

        Map<Integer, List<String>> containers = containersByNodeManager();
        int stopped = containers.entrySet().stream()
                .filter(e -> e.getValue().contains(EXECUTOR_CLASS) && !e.getValue().contains(APPLICATION_MASTER_CLASS))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no NodeManager runs an executor without the application "
                        + "master: " + containers));
        List<ProcessHandle> executors = executorsByNodeManager().get(stopped);
        // The job is still running as the NodeManager stops.
        assertTrue(iteration(run) < REPEAT && !Files.exists(run.out().resolve("summary.json")),
                "the job was over before the NodeManager stopped");
        String said = yarn("stop-nodemanager", Integer.toString(stopped));
        assertTrue(said.contains("stopped NodeManager " + stopped), said);
        assertEquals(List.of(), containerProcesses(nodeManagerPorts().get(stopped)),
                "processes of the stopped NodeManager's containers");
        for (ProcessHandle executor : executors) {
            assertFalse(executor.isAlive(), "executor " + executor.pid() + " of the stopped NodeManager");
        }

        RunOutput result = new RunOutput(run.succeeds().out());
        String status = yarn("status");
        assertTrue(Pattern.compile("(?m)^nodemanager " + stopped + " \\S+ stopped$").matcher(status).find(), status);
        assertEquals("yarn", result.summary().get("master").asText());
        assertCompleteAndIdentical(result, expected);
    }

    /** The iteration of --repeat that the run's last progress line names, 0 before the first. */
    private static int iteration(Submission run) {
        try {
            List<String> lines = run.err().lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                Matcher m = ITERATION.matcher(lines.get(i));
                if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each NodeManager's port, by its number (from 1), as local-yarn's state file says. */
    private static Map<Integer, Integer> nodeManagerPorts() throws IOException {
        Map<Integer, Integer> ports = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^nodemanager ([0-9]+) [^ ]*:([0-9]+) (running|stopped)$")
                .matcher(Files.readString(DIR.resolve("state")));
        while (m.find()) {
            ports.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return ports;
    }

    /** The container processes of the NodeManager of port PORT: the marker and NM_PORT=PORT in their environment. */
    private static List<ProcessHandle> containerProcesses(int port) {
        return ProcessHandle.allProcesses().filter(p -> environment(p).containsAll(
                List.of("RELUGRAD_LOCAL_YARN=" + DIR, "NM_PORT=" + port))).toList();
    }

    /** The main classes of the JVMs of each NodeManager's containers, by its number. */
    private static Map<Integer, List<String>> containersByNodeManager() throws IOException {
        Map<Integer, List<String>> classes = new TreeMap<>();
        for (Map.Entry<Integer, Integer> nm : nodeManagerPorts().entrySet()) {
            Set<String> found = new TreeSet<>();
            for (ProcessHandle p : containerProcesses(nm.getValue())) {
                List<String> arguments = LocalCluster.arguments(p);
                for (String c : List.of(EXECUTOR_CLASS, APPLICATION_MASTER_CLASS)) {
                    if (arguments.contains(c)) {
                        found.add(c);
                    }
                }
            }
            classes.put(nm.getKey(), List.copyOf(found));
        }
        return classes;
    }

    /** The executor JVMs of each NodeManager that runs any, by its number. */
    private static Map<Integer, List<ProcessHandle>> executorsByNodeManager() {
        try {
            Map<Integer, List<ProcessHandle>> executors = new TreeMap<>();
            for (Map.Entry<Integer, Integer> nm : nodeManagerPorts().entrySet()) {
                List<ProcessHandle> jvms = containerProcesses(nm.getValue()).stream()
                        .filter(p -> LocalCluster.arguments(p).contains(EXECUTOR_CLASS)).toList();
                if (!jvms.isEmpty()) {
                    executors.put(nm.getKey(), jvms);
                }
            }
            return executors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process's environment, as it started, from /proc; empty when it is gone or not ours to read. */
    private static List<String> environment(ProcessHandle p) {
        try {
            return List.of(Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"),
                    StandardCharsets.ISO_8859_1).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
