package org.relugrad.hdfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HDFS of scripts/local-hdfs, run for the tests in a folder of its own on a free port (so that one started by
 * hand is left alone), with this JVM as its owner: should the tests end without stopping it, its watcher does.
 * Public for the tests of other packages that read and write HDFS (YarnIT).
 */
public final class HdfsScript {
    private final Path root;
    private final Path dir;
    private String uri;

    public HdfsScript(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** Starts it; its URI is the last line printed. */
    public String start() throws Exception {
        String out = script("start", "--port", "0");
        List<String> lines = out.lines().toList();
        uri = lines.get(lines.size() - 1);
        return out;
    }

    public String uri() {
        return uri;
    }

    public String stop() throws Exception {
        return script("stop");
    }

    public String status() throws Exception {
        return script("status");
    }

    public String stopDataNode(int i) throws Exception {
        return script("stop-datanode", Integer.toString(i));
    }

    /** Hadoop's file system shell on it: {@code scripts/local-hdfs fs ARGS}. */
    public String fs(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("fs"));
        command.addAll(List.of(args));
        return script(command.toArray(String[]::new));
    }

    public Path dir() {
        return dir;
    }

    /**
     * The HDFS JVM, while it runs: the one whose java.io.tmpdir is this HDFS's, read from /proc (ProcessHandle.Info
     * leaves out the arguments of a command line as long as its classpath).
     */
    public List<ProcessHandle> jvms() {
        String marker = "-Djava.io.tmpdir=" + dir.resolve("tmp");
        return ProcessHandle.allProcesses().filter(p -> arguments(p).contains(marker)).toList();
    }

    private static List<String> arguments(ProcessHandle process) {
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(line, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();  // the process has ended
        }
    }

    private String script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("scripts/local-hdfs").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("LOCAL_HDFS_DIR", dir.toString(),
                "LOCAL_HDFS_OWNER", Long.toString(ProcessHandle.current().pid())));
        Files.createDirectories(dir);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("scripts/local-hdfs " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }
}
