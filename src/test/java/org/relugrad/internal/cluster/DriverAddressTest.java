package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's address when the user gives none: loopback for a local master, else the address that routes to the
 * master, as the kernel's routing table gives it (ip route get, the reference); any address the user gives stands.
 * Every address here is a loopback one: nothing is sent.
 */
class DriverAddressTest {
    @TempDir
    Path dir;

    private static SparkConf master(String master) {
        return new SparkConf(false).setMaster(master);
    }

    private static DriverAddress.Source choose(SparkConf conf, Map<String, String> environment) {
        return DriverAddress.choose(conf, environment::get);
    }

    /** The source address the kernel picks for a packet to {@code address}: "ip -o route get ADDRESS", its src. */
    private static String routeSource(String address) throws Exception {
        Process p = new ProcessBuilder("ip", "-o", "route", "get", address).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Matcher m = Pattern.compile(" src (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static void assertDriverAt(String expected, SparkConf conf) {
        assertEquals(expected, conf.get("spark.driver.host"));
        assertEquals(expected, conf.get("spark.driver.bindAddress"));
    }

    @Test
    void aLocalMasterKeepsTheDriverOnLoopback() {
        for (String m : new String[] {"local", "local[*]", "local[2,4]", "local-cluster[2,1,1024]"}) {
            SparkConf conf = master(m);
            assertEquals(DriverAddress.Source.RELUGRAD, choose(conf, Map.of()));
            assertDriverAt("127.0.0.1", conf);
        }
        SparkConf none = new SparkConf(false);  // local[*] when no master is given
        choose(none, Map.of());
        assertDriverAt("127.0.0.1", none);
    }

    @Test
    void aStandaloneMastersDriverTakesTheAddressThatRoutesToTheMaster() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "127.1.2.3"}) {
            SparkConf conf = master("spark://" + host + ":7077");
            assertEquals(DriverAddress.Source.RELUGRAD, choose(conf, Map.of()));
            assertDriverAt(routeSource(host), conf);
        }
        // With standby masters, the first whose host routes; a host without a port is on 7077.
        SparkConf standby = master("spark://127.0.0.5:7077,127.0.0.6:7078");
        choose(standby, Map.of());
        assertDriverAt(routeSource("127.0.0.5"), standby);
        SparkConf noPort = master("spark://127.0.0.7");
        choose(noPort, Map.of());
        assertDriverAt(routeSource("127.0.0.7"), noPort);
    }

    @Test
    void aKubernetesMastersDriverTakesTheAddressThatRoutesToTheApiServer() throws Exception {
        for (String m : new String[] {"k8s://https://127.0.0.9:6443", "k8s://127.0.0.9:6443", "k8s://https://127.0.0.9"}) {
            SparkConf conf = master(m);
            assertEquals(DriverAddress.Source.RELUGRAD, choose(conf, Map.of()), m);
            assertDriverAt(routeSource("127.0.0.9"), conf);
        }
    }

    @Test
    void aYarnMastersDriverTakesTheAddressThatRoutesToTheResourceManagerOfYarnSite() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("hadoop-conf"));
        SparkConf yarn = master("yarn");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {conf.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            // No yarn-site.xml, or one without an address: Spark chooses.
            assertEquals(DriverAddress.Source.SPARK, choose(yarn, Map.of()));
            assertFalse(yarn.contains("spark.driver.host"));
            Files.writeString(conf.resolve("yarn-site.xml"), "<configuration><property><name>yarn.resourcemanager"
                    + ".hostname</name><value>0.0.0.0</value></property></configuration>");
            assertEquals(DriverAddress.Source.SPARK, choose(yarn, Map.of()));
            Files.writeString(conf.resolve("yarn-site.xml"), "<configuration><property><name>yarn.resourcemanager"
                    + ".address</name><value>127.0.0.11:18032</value></property></configuration>");
            assertEquals(DriverAddress.Source.RELUGRAD, choose(yarn, Map.of()));
            assertDriverAt(routeSource("127.0.0.11"), yarn);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void whatTheUserGivesStands() {
        SparkConf host = master("spark://127.0.0.1:7077").set("spark.driver.host", "127.0.0.3");
        assertEquals(DriverAddress.Source.DRIVER_HOST, choose(host, Map.of("SPARK_LOCAL_IP", "127.0.0.4")));
        assertEquals("127.0.0.3", host.get("spark.driver.host"));
        assertFalse(host.contains("spark.driver.bindAddress"));

        SparkConf bind = master("spark://127.0.0.1:7077").set("spark.driver.bindAddress", "0.0.0.0");
        assertEquals(DriverAddress.Source.BIND_ADDRESS, choose(bind, Map.of()));
        assertFalse(bind.contains("spark.driver.host"));
        assertEquals("0.0.0.0", bind.get("spark.driver.bindAddress"));

        for (String m : new String[] {"spark://127.0.0.1:7077", "local[2]"}) {
            SparkConf localIp = master(m);
            assertEquals(DriverAddress.Source.LOCAL_IP, choose(localIp, Map.of("SPARK_LOCAL_IP", "127.0.0.4")));
            assertFalse(localIp.contains("spark.driver.host"));
            assertFalse(localIp.contains("spark.driver.bindAddress"));
        }
        // Set but empty is not set.
        SparkConf empty = master("spark://127.0.0.1:7077");
        assertEquals(DriverAddress.Source.RELUGRAD, choose(empty, Map.of("SPARK_LOCAL_IP", "")));
    }
}
