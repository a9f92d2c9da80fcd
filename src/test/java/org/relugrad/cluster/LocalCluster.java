package org.relugrad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone cluster of scripts/local-cluster, run for the tests in a folder and on ports of its own (so that a
 * cluster someone started by hand is left alone), with what the tests observe of it: its JVMs and its master's state.
 */
final class LocalCluster {
    private final Path root;
    private final Path dir;
    private final int port;
    private final int uiPort;
    private Thread cleanupOnExit;

    LocalCluster(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
        this.port = freePort();
        this.uiPort = freePort();
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Runs scripts/local-cluster start, and makes sure stop runs even if the test JVM is ended early. */
    String start() throws Exception {
        if (cleanupOnExit == null) {
            cleanupOnExit = new Thread(() -> {
                try {
                    script("stop");
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        }
        return script("start");
    }

    String stop() throws Exception {
        String out = script("stop");
        if (cleanupOnExit != null) {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            cleanupOnExit = null;
        }
        return out;
    }

    String status() throws Exception {
        return script("status");
    }

    private String script(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/local-cluster").toString(), command)
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("LOCAL_CLUSTER_DIR", dir.toString(),
                "LOCAL_CLUSTER_PORT", Integer.toString(port), "LOCAL_CLUSTER_UI_PORT", Integer.toString(uiPort)));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("scripts/local-cluster " + command + " failed:\n" + out);
        }
        return out;
    }

    /** Every live JVM of this cluster: they all carry its java.io.tmpdir, executors and drivers it launched too. */
    List<ProcessHandle> jvms() {
        String marker = "-Djava.io.tmpdir=" + dir.resolve("tmp");
        return ProcessHandle.allProcesses().filter(p -> arguments(p).contains(marker)).toList();
    }

    ProcessHandle worker(int n) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("run/worker-" + n + ".pid")).trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("worker " + n + " does not run"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executor JVMs the workers run now. */
    List<ProcessHandle> executors() {
        return jvms().stream()
                .filter(p -> arguments(p).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
                .toList();
    }

    /**
     * A process's command line, read from /proc: ProcessHandle.Info leaves out the arguments of command lines as
     * long as a driver's, whose classpath names every jar.
     */
    static List<String> arguments(ProcessHandle process) {
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(line, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();  // the process has ended
        }
    }

    /** The folders of the drivers the workers have run (in cluster deploy mode). */
    List<Path> driverFolders() throws IOException {
        try (var files = Files.find(dir.resolve("work"), 2, (p, a) -> p.getFileName().toString().startsWith("driver-"))) {
            return files.toList();
        }
    }

    /** The master's state, as its web UI serves it at /json. */
    JsonNode masterState() throws IOException {
        return new ObjectMapper().readTree(URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
