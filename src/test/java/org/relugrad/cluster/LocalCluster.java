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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The standalone cluster of scripts/local-cluster, run for the tests in a folder and on ports of its own (so that a
 * cluster someone started by hand is left alone), with what the tests observe of it: its JVMs and its master's state.
 * On loopback, or with {@link #onHosts} on hosts of its own (network namespaces) in a /24 of its own.
 */
final class LocalCluster {
    private final Path root;
    private final Path dir;
    private final int port;
    private final int uiPort;
    private final List<String> startOptions;
    private final Map<String, String> environment;
    private final String net;
    private final String subnet;

    LocalCluster(Path root, Path dir) {
        this(root, dir, List.of(), null, null);
    }

    private LocalCluster(Path root, Path dir, List<String> startOptions, String net, String subnet) {
        this.root = root;
        this.dir = dir;
        this.port = freePort();
        this.uiPort = freePort();
        this.startOptions = startOptions;
        this.net = net;
        this.subnet = subnet;
        this.environment = new HashMap<>(Map.of("LOCAL_CLUSTER_DIR", dir.toString(),
                "LOCAL_CLUSTER_PORT", Integer.toString(port), "LOCAL_CLUSTER_UI_PORT", Integer.toString(uiPort),
                "LOCAL_CLUSTER_OWNER", Long.toString(ProcessHandle.current().pid())));
        if (net != null) {
            environment.putAll(Map.of("LOCAL_CLUSTER_NET", net, "LOCAL_CLUSTER_SUBNET", subnet));
        }
    }

    /**
     * A cluster whose master and {@code workers} workers each run in a network namespace NET-HOST, at SUBNET.2 and
     * SUBNET.(2+i), with {@code --secure} when asked.
     */
    static LocalCluster onHosts(Path root, Path dir, String net, String subnet, int workers, boolean secure) {
        List<String> options = new ArrayList<>(List.of("--hosts", Integer.toString(workers)));
        if (secure) {
            options.add("--secure");
        }
        return new LocalCluster(root, dir, List.copyOf(options), net, subnet);
    }

    int port() {
        return port;
    }

    int uiPort() {
        return uiPort;
    }

    String masterUrl() {
        return "spark://" + address("master") + ":" + port;
    }

    /** A host's address: master, worker-1, ..., or driver (the root namespace's, on the bridge). */
    String address(String host) {
        if (net == null) {
            return "127.0.0.1";
        }
        return switch (host) {
            case "driver" -> subnet + ".1";
            case "master" -> subnet + ".2";
            default -> subnet + "." + (2 + Integer.parseInt(host.substring("worker-".length())));
        };
    }

    String namespace(String host) {
        return net + "-" + host;
    }

    /** The bridge in the root namespace that every host's link is plugged into. */
    String bridge() {
        return net + "-br";
    }

    /** The secret of a --secure cluster, in the file start made. */
    Path secretFile() {
        return dir.resolve("secret");
    }

    /** Runs {@code scripts/local-cluster exec HOST COMMAND...}; fails unless it exits with 0. */
    String exec(String host, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("exec", host));
        args.addAll(List.of(command));
        return script(args.toArray(String[]::new));
    }

    /**
     * Runs scripts/local-cluster start with this JVM as the cluster's owner: should the tests end without stopping
     * it (the JVM killed, say), the script's watcher stops it.
     */
    String start() throws Exception {
        List<String> args = new ArrayList<>(List.of("start"));
        args.addAll(startOptions);
        return script(args.toArray(String[]::new));
    }

    String stop() throws Exception {
        return script("stop");
    }

    String status() throws Exception {
        return script("status");
    }

    private String script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("scripts/local-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("scripts/local-cluster " + String.join(" ", args) + " failed:\n" + out);
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

    /**
     * Waits until the master has {@code workers} workers alive, none of their cores in use and no application
     * running: a test that cut a host off or killed a run can leave the master counting a worker gone or its cores
     * held by an executor that is no more, for a while, and the next run would then get fewer executors.
     */
    void awaitIdle(int workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            JsonNode state = masterState();
            if (state.get("aliveworkers").asInt() == workers && state.get("coresused").asInt() == 0
                    && state.get("activeapps").isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the master is not idle with " + workers + " workers: " + state);
            }
            Thread.sleep(200);
        }
    }

    /** The master's state, as its web UI serves it at /json. */
    JsonNode masterState() throws IOException {
        // On hosts the UI listens on the master's address, which the bridge reaches (not with --secure).
        return new ObjectMapper().readTree(URI.create("http://" + address("master") + ":" + uiPort + "/json/").toURL());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
