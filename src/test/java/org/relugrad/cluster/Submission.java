package org.relugrad.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** One scripts/relugrad run in a process of its own: its driver JVM, its output folder as it fills, its end. */
final class Submission {
    private static final long TIMEOUT_MINUTES = 4;

    private final Process process;
    private final Path out;
    private final Path log;

    private Submission(Process process, Path out, Path log) {
        this.process = process;
        this.out = out;
        this.log = log;
    }

    /**
     * Starts {@code scripts/relugrad grad ARGS --out OUT}. The driver's spark.local.dir goes under {@code work} and
     * its java.io.tmpdir is the cluster's ({@link LocalCluster#tmp()}), so that a driver killed with its files still
     * open leaves nothing behind, and one left running when the tests end is stopped with the cluster.
     */
    static Submission start(Path root, Path work, Path out, List<String> args, Path tmp) throws IOException {
        return start(root, work, out, args, tmp, "127.0.0.1");
    }

    /** As {@link #start(Path, Path, Path, List, Path)}, with the driver bound to {@code driverAddress}. */
    static Submission start(Path root, Path work, Path out, List<String> args, Path tmp, String driverAddress)
            throws IOException {
        String name = out.getFileName().toString();
        Path scratch = Files.createDirectories(work.resolve(name + "-driver"));
        List<String> command = new ArrayList<>(List.of(root.resolve("scripts/relugrad").toString(), "grad"));
        command.addAll(args);
        command.addAll(List.of("--out", out.toString(), "--conf", "spark.local.dir=" + scratch,
                "--driver-java-options", "-Djava.io.tmpdir=" + tmp));
        if (!driverAddress.equals("127.0.0.1")) {
            command.addAll(List.of("--conf", "spark.driver.host=" + driverAddress,
                    "--conf", "spark.driver.bindAddress=" + driverAddress));
        }
        return run(command, work, out, driverAddress);
    }

    /**
     * The manual's plain spark-submit command (clusters.md), {@code spark-submit SPARK_OPTIONS --class org.relugrad.cli.Main
     * relugrad.jar grad ARGS --out OUT}, with Spark's own SparkSubmit class on the project's Maven jars standing in
     * for a Spark installation's bin/spark-submit, which runs that class.
     */
    static Submission sparkSubmit(Path root, Path work, Path out, List<String> sparkOptions, List<String> args,
                                  Path tmp) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.io.tmpdir=" + tmp));
        // The Java module options spark-submit's launcher adds: this test JVM was started with them.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Dio.netty."))
                .forEach(command::add);
        command.addAll(List.of("-cp", Files.readString(root.resolve("target/runtime-classpath.txt")).trim(),
                "org.apache.spark.deploy.SparkSubmit"));
        command.addAll(sparkOptions);
        command.addAll(List.of("--class", "org.relugrad.cli.Main", root.resolve("target/relugrad.jar").toString(),
                "grad"));
        command.addAll(args);
        command.addAll(List.of("--out", out.toString()));
        return run(command, work, out, "127.0.0.1");
    }

    private static Submission run(List<String> command, Path work, Path out, String localIp) throws IOException {
        Path log = work.resolve(out.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().put("SPARK_LOCAL_IP", localIp);
        return new Submission(builder.start(), out, log);
    }

    /** Waits for the end; fails unless the run exits with 0. */
    Submission succeeds() throws Exception {
        int exit = exit();
        if (exit != 0) {
            throw new AssertionError("relugrad exited with " + exit + ":\n" + log());
        }
        return this;
    }

    int exit() throws Exception {
        return exit(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    }

    /** Waits for the end, at most {@code timeout}; fails if the run takes longer. */
    int exit(long timeout, TimeUnit unit) throws Exception {
        if (!process.waitFor(timeout, unit)) {
            kill();
            throw new AssertionError("relugrad did not finish in " + timeout + " " + unit + ":\n" + log());
        }
        return process.exitValue();
    }

    /** The driver: the JVM running SparkSubmit, which is the launcher's own process or one of its children. */
    ProcessHandle driver() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> LocalCluster.arguments(p).contains("org.apache.spark.deploy.SparkSubmit"))
                .findFirst().orElseThrow(() -> new AssertionError("no driver JVM among the launcher's processes"));
    }

    /** Waits, polling, until {@code condition} holds; fails if the run ends first or after four minutes. */
    void awaitWhileRunning(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!condition.getAsBoolean()) {
            if (!running()) {
                throw new AssertionError("the run ended before " + what + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    boolean running() {
        return process.isAlive();
    }

    /** Attempt files the tasks have begun under DIR/_temporary for {@code tensor}: each is a task that started. */
    long attemptFiles(String tensor) throws IOException {
        Path temporary = out.resolve("_temporary");
        if (!Files.isDirectory(temporary)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(temporary)) {
            return files.filter(p -> p.getParent().getFileName().toString().equals(tensor)
                    && p.getFileName().toString().contains(".attempt-")).count();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            // The driver removes _temporary as the run ends: nothing in progress any more.
            return 0;
        }
    }

    Path out() {
        return out;
    }

    /** Ends the launcher and its driver (SIGKILL), for cleanup after a failed test. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    String log() throws IOException {
        return Files.readString(log);
    }
}
