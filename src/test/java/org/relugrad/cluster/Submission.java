package org.relugrad.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** One scripts/relugrad run in a process of its own: its driver JVM, its output folder as it fills, its end. */
final class Submission {
    private static final long TIMEOUT_MINUTES = 4;

    private final Process process;
    private final Path out;
    private final Path stdout;
    private final Path stderr;

    private Submission(Process process, Path out, Path stdout, Path stderr) {
        this.process = process;
        this.out = out;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code scripts/relugrad grad ARGS --out OUT}, as a user would: no driver address is given, by option
     * or by SPARK_LOCAL_IP (the launcher and the driver choose it). The driver's scratch folder goes under
     * {@code work} (SPARK_LOCAL_DIRS, which a user does not see, where spark.local.dir on a cluster draws a warning)
     * and its java.io.tmpdir is the cluster's ({@link LocalCluster#tmp()}), so that a driver killed with its files
     * still open leaves nothing behind, and one left running when the tests end is stopped with the cluster.
     */
    static Submission start(Path root, Path work, Path out, List<String> args, Path tmp) throws IOException {
        return start(root, work, out, args, tmp, Map.of());
    }

    /** As {@link #start(Path, Path, Path, List, Path)}, with {@code environment} added to the user's. */
    static Submission start(Path root, Path work, Path out, List<String> args, Path tmp,
                            Map<String, String> environment) throws IOException {
        String name = out.getFileName().toString();
        Path scratch = Files.createDirectories(work.resolve(name + "-driver"));
        List<String> command = new ArrayList<>(List.of(root.resolve("scripts/relugrad").toString(), "grad"));
        command.addAll(args);
        command.addAll(List.of("--out", out.toString(), "--driver-java-options", "-Djava.io.tmpdir=" + tmp));
        return run(command, work, out, scratch, environment);
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
        return run(command, work, out, null, Map.of());
    }

    /**
     * Runs {@code command} with the environment a user has: no SPARK_HOME, no SPARK_LOCAL_IP; with SPARK_LOCAL_DIRS
     * {@code scratch} where given; and {@code environment}.
     */
    private static Submission run(List<String> command, Path work, Path out, Path scratch,
                                  Map<String, String> environment) throws IOException {
        Path stdout = work.resolve(out.getFileName() + ".out");
        Path stderr = work.resolve(out.getFileName() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().remove("SPARK_LOCAL_IP");
        if (scratch != null) {
            builder.environment().put("SPARK_LOCAL_DIRS", scratch.toString());
        }
        builder.environment().putAll(environment);
        return new Submission(builder.start(), out, stdout, stderr);
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

    /** What the run printed: its stdout, then its stderr. */
    String log() throws IOException {
        return Files.readString(stdout) + Files.readString(stderr);
    }

    /** What the run printed on stderr. */
    String err() throws IOException {
        return Files.readString(stderr);
    }
}
