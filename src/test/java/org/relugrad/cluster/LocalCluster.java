package org.relugrad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    LocalCluster(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
        this.port = freePort();
        this.uiPort = freePort();
    }

    int port() {
        return port;
    }

    int uiPort() {
        return uiPort;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /**
     * Runs scripts/local-cluster start with this JVM as the cluster's owner: should the tests end without stopping
     * it (the JVM killed, say), the script's watcher stops it.
     */
    String start() throws Exception {
        return script("start");
    }

    String stop() throws Exception {
        return script("stop");
    }

    String status() throws Exception {
        return script("status");
    }

    private String script(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/local-cluster").toString(), command)
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("LOCAL_CLUSTER_DIR", dir.toString(),
                "LOCAL_CLUSTER_PORT", Integer.toString(port), "LOCAL_CLUSTER_UI_PORT", Integer.toString(uiPort),
                "LOCAL_CLUSTER_OWNER", Long.toString(ProcessHandle.current().pid())));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("scripts/local-cluster " + command + " failed:\n" + out);
        }
        return out;
    }

    /**
     * The cluster's java.io.tmpdir. Every JVM given it is one of the cluster's for scripts/local-cluster stop, which
     * ends them all: master, workers, the executors and drivers they launch, and drivers the tests start.
     */
    Path tmp() {
        return dir.resolve("tmp");
    }

    /** Every live JVM of this cluster: those whose java.io.tmpdir is {@link #tmp()}. */
    List<ProcessHandle> jvms() {
        String marker = "-Djava.io.tmpdir=" + tmp();
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

    /**
     * The addresses the cluster's JVMs listen on, from /proc/net/tcp and tcp6: each listening socket whose inode
     * one of those JVMs holds open.
     */
    List<InetSocketAddress> listening() throws IOException {
        Set<String> inodes = new HashSet<>();
        for (ProcessHandle jvm : jvms()) {
            try (var fds = Files.list(Path.of("/proc", Long.toString(jvm.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor was closed while listing
                    }
                }
            }
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean listen = f[3].equals("0A");
                if (listen && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    addresses.add(new InetSocketAddress(InetAddress.getByAddress(procAddress(local[0])),
                            Integer.parseInt(local[1], 16)));
                }
            }
        }
        return addresses;
    }

    /** An address as /proc/net writes it: 32-bit words in hex, each word's bytes in host (little-endian) order. */
    private static byte[] procAddress(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
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
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
