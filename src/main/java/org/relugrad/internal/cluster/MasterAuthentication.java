package org.relugrad.internal.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;
import scala.Tuple2;

/**
 * Asks a standalone master, before the application registers, whether it takes this driver's credentials. Spark's
 * own client, refused, retries its registration for a minute, logging a trace each time, and then reports the
 * master as unresponsive; this says at once that authentication failed. With a secret, it runs Spark's
 * authentication handshake on a connection of its own; without one, it sends a message that a master requiring
 * authentication answers from its authentication handler, any other from its RPC handler. A master that cannot be
 * reached, or answers otherwise, is left to Spark.
 */
final class MasterAuthentication {
    /** The user name Spark's RPC authenticates as (SecurityManager.getSaslUser). */
    private static final String USER = "sparkSaslUser";
    private static final long TIMEOUT_MS = 10_000;

    private MasterAuthentication() {
    }

    /** Throws, naming the master, when one of spark://HOST:PORT[,HOST:PORT] refuses this driver's credentials. */
    static void check(SparkConf conf) {
        String master = conf.get("spark.master", "");
        if (!master.startsWith("spark://")) {
            return;
        }
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            if (colon > 0 && refuses(conf, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
                throw new IllegalArgumentException("the master at " + master
                        + " refused the connection: authentication failed; pass --secret-file");
            }
        }
    }

    private static boolean refuses(SparkConf conf, String host, int port) {
        Map<String, String> settings = new HashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            settings.put(entry._1(), entry._2());
        }
        // One handshake, no fallback to SASL, and an answer within the timeout.
        settings.put("spark.network.crypto.saslFallback", "false");
        settings.put("spark.network.auth.rpcTimeout", TIMEOUT_MS + "ms");
        settings.put("spark.rpc.io.connectionTimeout", TIMEOUT_MS + "ms");
        TransportConf transport = new TransportConf("rpc", new MapConfigProvider(settings));
        boolean authenticate = conf.getBoolean("spark.authenticate", false);
        try (TransportContext context = new TransportContext(transport, new NoOpRpcHandler(), true);
             TransportClientFactory factory = context.createClientFactory()) {
            TransportClient client;
            try {
                client = factory.createUnmanagedClient(host, port);
            } catch (IOException e) {
                return false;  // not reachable: Spark says so
            }
            try (client) {
                return authenticate ? handshakeFails(transport, client, conf.get(AuthenticationSecret.SECRET, ""))
                        : demandsAuthentication(client);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean handshakeFails(TransportConf transport, TransportClient client, String secret) {
        SecretKeyHolder key = new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return USER;
            }

            @Override
            public String getSecretKey(String appId) {
                return secret;
            }
        };
        try {
            new AuthClientBootstrap(transport, USER, key).doBootstrap(client, client.getChannel());
            return false;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TimeoutException) {
                    return false;  // a master too busy to answer: Spark waits longer
                }
            }
            return true;
        }
    }

    /** Whether an unauthenticated message is answered by the master's authentication handler (its stack trace). */
    private static boolean demandsAuthentication(TransportClient client) {
        try {
            client.sendRpcSync(ByteBuffer.wrap(new byte[] {0}), TIMEOUT_MS);
            return false;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String text = String.valueOf(t.getMessage());
                if (text.contains("AuthRpcHandler") || text.contains("SaslRpcHandler")) {
                    return true;
                }
            }
            return false;
        }
    }
}
