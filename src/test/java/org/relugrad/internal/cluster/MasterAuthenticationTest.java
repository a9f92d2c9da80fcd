package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;
import org.junit.jupiter.api.Test;

/**
 * The check against servers of Spark's own RPC transport, as a standalone master runs it: with Spark's
 * authentication (the secret "right", encryption on, no SASL fallback) or without.
 */
class MasterAuthenticationTest {
    private static final String SECRET = "right";

    private static TransportServer server(boolean secured) {
        TransportConf conf = new TransportConf("rpc", new MapConfigProvider(Map.of(
                "spark.network.crypto.enabled", "true", "spark.network.crypto.saslFallback", "false")));
        SecretKeyHolder key = new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return "sparkSaslUser";
            }

            @Override
            public String getSecretKey(String appId) {
                return SECRET;
            }
        };
        List<TransportServerBootstrap> bootstraps = secured ? List.of(new AuthServerBootstrap(conf, key)) : List.of();
        return new TransportContext(conf, new NoOpRpcHandler()).createServer("127.0.0.1", 0, bootstraps);
    }

    private static SparkConf driver(int port, String secret) {
        SparkConf conf = new SparkConf(false).set("spark.master", "spark://127.0.0.1:" + port);
        if (secret != null) {
            conf.set("spark.authenticate", "true").set("spark.authenticate.secret", secret)
                    .set("spark.network.crypto.enabled", "true");
        }
        return conf;
    }

    @Test
    void aSecuredMasterRefusesADriverWithoutTheSecretOrWithAWrongOne() {
        try (TransportServer master = server(true)) {
            for (String secret : new String[] {null, "wrong"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> MasterAuthentication.check(driver(master.getPort(), secret)));
                assertEquals("the master at spark://127.0.0.1:" + master.getPort()
                        + " refused the connection: authentication failed; pass --secret-file", e.getMessage());
            }
        }
    }

    @Test
    void aSecuredMasterTakesTheRightSecret() {
        try (TransportServer master = server(true)) {
            assertDoesNotThrow(() -> MasterAuthentication.check(driver(master.getPort(), SECRET)));
        }
    }

    @Test
    void aMasterWithoutSecurityTakesADriverWithout() {
        try (TransportServer master = server(false)) {
            assertDoesNotThrow(() -> MasterAuthentication.check(driver(master.getPort(), null)));
        }
    }

    @Test
    void aMasterThatCannotBeReachedOrALocalMasterIsLeftToSpark() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        assertDoesNotThrow(() -> MasterAuthentication.check(driver(port, null)));
        assertDoesNotThrow(() -> MasterAuthentication.check(new SparkConf(false).set("spark.master", "local[2]")));
    }
}
