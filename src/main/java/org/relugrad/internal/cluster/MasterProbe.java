package org.relugrad.internal.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Whether a standalone master (spark://HOST:PORT, or HOST1:PORT1,HOST2:PORT2 with standby masters) accepts
 * connections, asked before Spark starts: Spark itself retries for a minute, logging a stack trace each time, and
 * then fails with an unrelated message.
 */
final class MasterProbe {
    /** How long one address may take to accept: a master on a busy network answers well within it. */
    static final int TIMEOUT_MILLIS = 5000;

    private MasterProbe() {
    }

    /**
     * @throws RunFailure when no address of {@code master} accepts a connection (nothing is checked for other
     *     masters: local, YARN, Kubernetes)
     */
    static void requireAnswer(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String reason = "no address given";
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 7077;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master " + master + ": '" + hostPort
                        + "' is not HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                reason = why(e, hostPort);
            }
        }
        throw new RunFailure("no Spark master answers at " + master + " (" + reason
                + "); start it, or give --master the address of one that runs", null);
    }

    private static String why(IOException e, String hostPort) {
        if (e instanceof UnknownHostException) {
            return "unknown host in " + hostPort;
        }
        if (e instanceof ConnectException) {
            return "connection refused at " + hostPort;
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + hostPort + " in " + TIMEOUT_MILLIS / 1000 + " s";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + hostPort;
        }
        return hostPort + ": " + e.getMessage();
    }
}
