package org.relugrad.internal.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.SparkConf;

/**
 * The address the driver binds to and gives its executors, chosen before Spark starts when the user chose none
 * (SPARK_LOCAL_IP, spark.driver.host, spark.driver.bindAddress: any of them stands, and then nothing is set here).
 * A local master's executor is the driver's own JVM: loopback. For a cluster's master (spark://, yarn, k8s://), the
 * address of this machine that routes to the master, as the operating system picks it for a packet sent there (a
 * UDP socket connected toward the master: nothing is sent), so that executors on the cluster's network reach the
 * driver. Where no route is found (a master's host that does not resolve, YARN without a ResourceManager address),
 * Spark chooses, as it does by itself.
 */
public final class DriverAddress {
    static final String HOST = "spark.driver.host";
    static final String BIND_ADDRESS = "spark.driver.bindAddress";
    static final String LOCAL_IP = "SPARK_LOCAL_IP";
    /** The ResourceManager's port when yarn-site.xml names only its host (YarnConfiguration.DEFAULT_RM_PORT). */
    private static final int RESOURCE_MANAGER_PORT = 8032;

    /** Who chose the driver's address: it is what to change when executors cannot reach it. */
    public enum Source {
        /** spark.driver.host, given by the user. */
        DRIVER_HOST,
        /** spark.driver.bindAddress alone: Spark advertises the address it binds to. */
        BIND_ADDRESS,
        /** The SPARK_LOCAL_IP environment variable. */
        LOCAL_IP,
        /** relugrad: loopback for a local master, else the address that routes to the master. */
        RELUGRAD,
        /** Spark's own choice (the host's name, or the first address of an interface that is not loopback). */
        SPARK
    }

    private DriverAddress() {
    }

    /**
     * Sets spark.driver.host and spark.driver.bindAddress as described above, unless the user set any of them or
     * SPARK_LOCAL_IP ({@code environment} reads the environment). Returns who chose the address.
     */
    public static Source choose(SparkConf conf, UnaryOperator<String> environment) {
        if (conf.contains(HOST)) {
            return Source.DRIVER_HOST;
        }
        if (conf.contains(BIND_ADDRESS)) {
            return Source.BIND_ADDRESS;
        }
        String localIp = environment.apply(LOCAL_IP);
        if (localIp != null && !localIp.isEmpty()) {
            return Source.LOCAL_IP;
        }
        String master = conf.get("spark.master", "local[*]");
        Optional<String> address = master.startsWith("local") ? Optional.of("127.0.0.1")
                : towardAny(endpoints(master));
        if (address.isEmpty()) {
            return Source.SPARK;
        }
        conf.set(HOST, address.get());
        conf.set(BIND_ADDRESS, address.get());
        return Source.RELUGRAD;
    }

    /** The address of this machine that a packet to {@code host:port} leaves from; empty where none routes there. */
    static Optional<String> toward(String host, int port) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port));
            InetAddress local = socket.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local.getHostAddress());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();  // the host does not resolve, or no route leads to it
        }
    }

    private static Optional<String> towardAny(List<InetSocketAddress> endpoints) {
        for (InetSocketAddress endpoint : endpoints) {
            Optional<String> address = toward(endpoint.getHostString(), endpoint.getPort());
            if (address.isPresent()) {
                return address;
            }
        }
        return Optional.empty();
    }

    /**
     * Where the cluster's master listens: every HOST:PORT of spark://HOST:PORT[,HOST:PORT], the API server of
     * k8s://URL, the ResourceManager of yarn-site.xml on the classpath (HADOOP_CONF_DIR or YARN_CONF_DIR) for yarn.
     */
    static List<InetSocketAddress> endpoints(String master) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        if (master.startsWith("spark://")) {
            for (String hostPort : master.substring("spark://".length()).split(",")) {
                int colon = hostPort.lastIndexOf(':');
                try {
                    endpoints.add(InetSocketAddress.createUnresolved(colon > 0 ? hostPort.substring(0, colon) : hostPort,
                            colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 7077));
                } catch (IllegalArgumentException e) {
                    // not HOST:PORT: Spark says so
                }
            }
        } else if (master.startsWith("k8s://")) {
            String url = master.substring("k8s://".length());
            try {
                URI uri = URI.create(url.contains("://") ? url : "https://" + url);
                if (uri.getHost() != null) {
                    endpoints.add(InetSocketAddress.createUnresolved(uri.getHost(),
                            uri.getPort() > 0 ? uri.getPort() : 443));
                }
            } catch (IllegalArgumentException e) {
                // not a URL: Spark says so
            }
        } else if (master.equals("yarn")) {
            resourceManager().ifPresent(endpoints::add);
        }
        return endpoints;
    }

    /** yarn.resourcemanager.address, else .hostname, from yarn-site.xml on the classpath; not 0.0.0.0. */
    private static Optional<InetSocketAddress> resourceManager() {
        URL site = Thread.currentThread().getContextClassLoader().getResource("yarn-site.xml");
        if (site == null) {
            return Optional.empty();
        }
        org.apache.hadoop.conf.Configuration yarn = new org.apache.hadoop.conf.Configuration(false);
        try (InputStream in = site.openStream()) {
            yarn.addResource(in, site.toString());
            String address = yarn.get("yarn.resourcemanager.address");
            if (address == null || address.isBlank()) {
                String host = yarn.get("yarn.resourcemanager.hostname");
                address = host == null ? null : host + ":" + RESOURCE_MANAGER_PORT;
            }
            if (address == null || address.isBlank()) {
                return Optional.empty();
            }
            address = address.trim();
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : address;
            int port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : RESOURCE_MANAGER_PORT;
            return host.equals("0.0.0.0") ? Optional.empty() : Optional.of(InetSocketAddress.createUnresolved(host, port));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();  // a yarn-site.xml that cannot be read, or no address in it: Spark's choice
        }
    }
}
