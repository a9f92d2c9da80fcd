package org.relugrad.internal.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark's timeouts, said in relugrad's words: what timed out, after how long, which setting says how long, and what
 * to do. Spark reports them in its own words, or in none ("Future timed out after [120 seconds]", Scala's), and in a
 * job aborted for a task's failure only as text within the abort's message: every message in the chain is read.
 *
 * <ul>
 *   <li>an RPC ask unanswered: "Cannot receive any reply from HOST:PORT in 120 seconds. This timeout is controlled
 *       by spark.rpc.askTimeout" (RpcTimeoutException), or "Future timed out after [120 seconds]. This timeout is
 *       controlled by PROPERTY";
 *   <li>a wait with no setting named: "Future timed out after [120 seconds]" (Spark's awaits, whose length is
 *       spark.network.timeout's where Spark gives one);
 *   <li>a connection not made: "Connecting to HOST:PORT timed out (120000 ms)" (spark.*.io.connectionTimeout,
 *       which is spark.network.timeout unless set).
 * </ul>
 */
final class SparkTimeouts {
    private static final Pattern NO_REPLY = Pattern.compile(
            "Cannot receive any reply from (\\S+) in ([^.\\n]+?)\\. This timeout is controlled by ([\\w.]+)");
    private static final Pattern FUTURE = Pattern.compile(
            "Futures? timed out after \\[([^\\]]+)\\](?:\\. This timeout is controlled by ([\\w.]+))?");
    private static final Pattern CONNECTING = Pattern.compile("Connecting to (\\S+) timed out \\((\\d+) ms\\)");
    private static final String WHAT_TO_DO = "nothing was kept: run again, with more time "
            + "(--conf spark.network.timeout=600s, which the other timeouts follow unless set) where the cluster is "
            + "busy or the layer wide, and more memory where a JVM was stalled collecting garbage "
            + "(--driver-memory, --executor-memory)";

    private SparkTimeouts() {
    }

    /** The timeout said in relugrad's words, or null when {@code failure} is no timeout relugrad knows. */
    static RunFailure explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher m = NO_REPLY.matcher(message);
            if (m.find()) {
                return new RunFailure("no answer from " + m.group(1) + " within " + m.group(2) + " (" + m.group(3)
                        + "): the JVM there may be overloaded, stalled, or cut off; " + WHAT_TO_DO, failure);
            }
            m = CONNECTING.matcher(message);
            if (m.find()) {
                long millis = Long.parseLong(m.group(2));
                return new RunFailure("no connection to " + m.group(1) + " within " + seconds(millis)
                        + " (spark.network.timeout): the JVM there may be overloaded or stalled, or a firewall drops "
                        + "the connection; " + WHAT_TO_DO, failure);
            }
            m = FUTURE.matcher(message);
            if (m.find()) {
                String setting = m.group(2) != null ? m.group(2) : "spark.network.timeout";
                return new RunFailure("Spark waited " + m.group(1) + " for another JVM of the run (" + setting
                        + ") and gave up: the driver or an executor may be overloaded, stalled, or cut off; "
                        + WHAT_TO_DO, failure);
            }
        }
        return null;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " seconds" : millis + " ms";
    }
}
