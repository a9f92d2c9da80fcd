package org.relugrad.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A tcpdump capture of every TCP packet on one interface (the hosts' bridge), whole packets, into a file. */
final class Capture implements AutoCloseable {
    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private Capture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    /** Starts capturing; returns once tcpdump says it listens. */
    static Capture start(String device, Path file) throws Exception {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        // -U: each packet written as it comes; -Z root: keep writing where only root may.
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", device, "-s", "0", "-U", "-Z", "root", "-w",
                file.toString(), "tcp").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Capture capture = new Capture(tcpdump, file, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("listening on")) {
            if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                capture.close();
                throw new AssertionError("tcpdump did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return capture;
    }

    /** Stops capturing and returns what was captured: the pcap file's bytes, headers and payloads. */
    byte[] stop() throws Exception {
        close();
        return Files.readAllBytes(file);
    }

    @Override
    public void close() throws IOException {
        tcpdump.destroy();  // SIGTERM: tcpdump flushes and closes the file
        try {
            if (!tcpdump.waitFor(30, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly();
            }
        } catch (InterruptedException e) {
            tcpdump.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How many of {@code values} appear in {@code bytes} as the 8 bytes of their IEEE 754 form, in either byte
     * order (Java's serialization writes doubles big-endian, Kryo's unsafe output little-endian).
     */
    static int occurrences(byte[] bytes, double[] values) {
        int found = 0;
        for (double v : values) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                if (indexOf(bytes, ByteBuffer.allocate(8).order(order).putDouble(v).array()) >= 0) {
                    found++;
                    break;
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
