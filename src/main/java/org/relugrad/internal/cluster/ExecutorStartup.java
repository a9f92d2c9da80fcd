package org.relugrad.internal.cluster;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What is known of an application's first executors, and whether they can still reach the driver: the cluster
 * started them (a standalone master says where), some exited before they registered with the driver, one
 * registered. A run whose executors all fail to register would wait for them for ever: this says when to give up,
 * and in what words.
 *
 * <p>Given up on, once no executor has registered: when every host the cluster started an executor on has seen one
 * exit, at least {@value #EXITS} in all (where no host is known, {@value #EXITS_ANYWHERE} exits); or when
 * {@value #SILENT_SECONDS} s have passed since the first was started. An executor that exits at once on one broken
 * host, while another host's still starts, gives nothing up; and a cluster that starts none, for want of free cores,
 * is waited for as Spark waits.
 */
final class ExecutorStartup {
    static final int EXITS = 2;
    static final int EXITS_ANYWHERE = 3;
    static final int SILENT_SECONDS = 45;
    static final int REASON_CHARS = 160;

    private final DriverAddress.Source source;
    /** Executor id to the host the cluster started it on. */
    private final Map<String, String> started = new LinkedHashMap<>();
    /** Executor id to the reason it exited, for those that exited before they registered. */
    private final Map<String, String> exited = new LinkedHashMap<>();
    private final Set<String> exitedHosts = new LinkedHashSet<>();
    private long firstStartNanos = -1;
    private boolean registered;

    /** @param source who chose the driver's address */
    ExecutorStartup(DriverAddress.Source source) {
        this.source = source;
    }

    synchronized void started(String executor, String host, long nanos) {
        started.put(executor, host);
        if (firstStartNanos < 0) {
            firstStartNanos = nanos;
        }
    }

    synchronized void exited(String executor, String reason) {
        if (registered) {
            return;
        }
        exited.put(executor, firstLine(reason));
        String host = started.get(executor);
        if (host != null) {
            exitedHosts.add(host);
        }
    }

    synchronized void registered() {
        registered = true;
    }

    /** Whether an executor has registered: from then on there is nothing to watch. */
    synchronized boolean anyRegistered() {
        return registered;
    }

    /**
     * Why the run is given up on at {@code nanos}, in one line naming {@code driver}, the driver's address as the
     * executors were given it (HOST:PORT); empty while it waits on.
     */
    synchronized Optional<String> failure(long nanos, String driver) {
        if (registered) {
            return Optional.empty();
        }
        Set<String> hosts = new LinkedHashSet<>(started.values());
        boolean everyHostExited = hosts.isEmpty() ? exited.size() >= EXITS_ANYWHERE
                : exited.size() >= EXITS && exitedHosts.containsAll(hosts);
        if (everyHostExited) {
            String where = hosts.isEmpty() ? exited.size() + " executors"
                    : "the cluster started " + started.size() + " executor" + (started.size() == 1 ? "" : "s") + " on "
                    + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s") + " and "
                    + (exited.size() >= started.size() ? "each" : exited.size() + " of them");
            // The last reason given: one is enough to tell why, and they differ by little more than a container.
            String reasons = exited.values().stream().filter(r -> !r.isEmpty()).reduce((a, b) -> b).orElse("");
            return Optional.of("no executor reached the driver at " + driver + ": " + where
                    + " exited before registering" + (reasons.isEmpty() ? "" : " (" + reasons + ")") + "; "
                    + advice());
        }
        if (firstStartNanos >= 0 && nanos - firstStartNanos >= TimeUnit.SECONDS.toNanos(SILENT_SECONDS)) {
            return Optional.of("no executor reached the driver at " + driver + " within " + SILENT_SECONDS
                    + " s: the cluster started " + started.size() + " on " + hosts.size() + " host"
                    + (hosts.size() == 1 ? "" : "s") + " and none registered; " + advice());
        }
        return Optional.empty();
    }

    /**
     * A reason as one short line: its first line, at most {@value #REASON_CHARS} characters, cut between words (YARN's run on with a
     * container's diagnostics, stack traces and all).
     */
    static String firstLine(String reason) {
        String line = reason == null ? "" : reason.strip().lines().findFirst().orElse("").strip();
        if (line.length() <= REASON_CHARS) {
            return line;
        }
        String cut = line.substring(0, REASON_CHARS - 3);
        int space = cut.lastIndexOf(' ');
        return (space > 0 ? cut.substring(0, space) : cut) + "...";
    }

    /** What to set, by who chose the address. */
    private String advice() {
        String reach = "an address of this machine that the executors' hosts reach";
        return switch (source) {
            case DRIVER_HOST -> "set spark.driver.host to " + reach
                    + ", or leave it unset for the address that routes to the master";
            case BIND_ADDRESS -> "set spark.driver.host to " + reach + " (with spark.driver.bindAddress alone, the "
                    + "driver tells the executors the address it binds to)";
            case LOCAL_IP -> "SPARK_LOCAL_IP chose it: set SPARK_LOCAL_IP to " + reach
                    + ", or unset it for the address that routes to the master";
            case RELUGRAD -> "it is this machine's address on the way to the master, which the executors' hosts do "
                    + "not reach: set spark.driver.host to " + reach + " (and spark.driver.bindAddress to one it can "
                    + "bind, if that differs)";
            case SPARK -> "Spark chose it: set spark.driver.host to " + reach;
        };
    }
}
