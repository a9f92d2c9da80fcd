package org.relugrad.yarn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * YARN on this machine, as scripts/local-yarn runs it: a ResourceManager and NodeManagers (Hadoop's own servers,
 * MiniYARNCluster from hadoop-client-minicluster) in one JVM, on localhost only. Containers are real processes
 * that the NodeManagers start, as on a real cluster; each carries RELUGRAD_LOCAL_YARN=DIR in its environment (the
 * NodeManagers' admin environment), which is how scripts/local-yarn stop finds any left, and this JVM's SPARK_LOCAL_IP
 * (127.0.0.1: the machine's name may be a loopback one, on which Spark would look for another interface).
 *
 * <pre>
 *   LocalYarn DIR NODEMANAGERS MEMORY_MB VCORES       MEMORY_MB and VCORES: each NodeManager's
 * </pre>
 *
 * Once every NodeManager has registered it writes DIR/conf (yarn-site.xml and core-site.xml, a client's
 * configuration: the folder for HADOOP_CONF_DIR), then DIR/state ({@code resourcemanager HOST:PORT},
 * {@code webapp HOST:PORT}); SIGTERM stops it, and the NodeManagers stop their containers.
 */
public final class LocalYarn {
    private static final long START_MILLIS = 120_000;

    private LocalYarn() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LocalYarn DIR NODEMANAGERS MEMORY_MB VCORES");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int nodeManagers = Integer.parseInt(args[1]);
        Configuration conf = conf(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        MiniYARNCluster yarn = new MiniYARNCluster("local-yarn", 1, nodeManagers, 1, 1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            yarn.stop();
            stopped.countDown();
        }, "local-yarn-stop"));
        try {
            yarn.init(conf);
            yarn.start();
            if (!yarn.waitForNodeManagersToConnect(START_MILLIS)) {
                throw new IOException("the NodeManagers did not register in " + START_MILLIS / 1000 + " s");
            }
            writeClientConf(dir, yarn.getConfig());
        } catch (Throwable e) {
            // The servers' own threads would keep the JVM alive.
            e.printStackTrace();
            System.exit(1);
        }
        stopped.await();
    }

    private static Configuration conf(Path dir, int memoryMb, int vcores) {
        Configuration conf = new YarnConfiguration();
        conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
        conf.set("fs.defaultFS", "file:///");
        conf.setInt(YarnConfiguration.NM_PMEM_MB, memoryMb);
        conf.setInt(YarnConfiguration.NM_VCORES, vcores);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, memoryMb);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, vcores);
        // Containers are sized by Spark's own reckoning; the JVMs' virtual memory is far above it.
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // The capacity scheduler with one queue, whose application masters may take the whole cluster (10 % by
        // default: too little for one driver in cluster deploy mode).
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setFloat("yarn.scheduler.capacity.root.default.capacity", 100f);
        conf.setFloat("yarn.scheduler.capacity.root.default.maximum-capacity", 100f);
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
        // A full disk elsewhere on the machine must not mark the NodeManagers unhealthy.
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
        conf.setLong(YarnConfiguration.NM_MIN_PER_DISK_FREE_SPACE_MB, 0);
        // What every container's environment gets: the marker, forced in; and SPARK_LOCAL_IP from this JVM's
        // environment (scripts/local-yarn sets it to 127.0.0.1) where a container sets none, which keeps Spark in
        // containers on loopback. (Forced in as well, it would be appended to the copy Spark's application master
        // hands its executors: "127.0.0.1:127.0.0.1".)
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,RELUGRAD_LOCAL_YARN=" + dir);
        conf.set(YarnConfiguration.NM_ENV_WHITELIST, YarnConfiguration.DEFAULT_NM_ENV_WHITELIST + ",SPARK_LOCAL_IP");
        // Container logs stay with the NodeManager that ran the container, where its web service serves them.
        conf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, false);
        conf.setLong(YarnConfiguration.NM_LOG_RETAIN_SECONDS, 3 * 3600);
        // Few threads and short waits: this runs on a small machine beside Spark.
        conf.setInt(YarnConfiguration.RM_CLIENT_THREAD_COUNT, 4);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_CLIENT_THREAD_COUNT, 4);
        conf.setInt(YarnConfiguration.NM_CONTAINER_MGR_THREAD_COUNT, 4);
        conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 500);
        return conf;
    }

    /** A client's configuration: where the ResourceManager is, and the file system, in DIR/conf; then DIR/state. */
    private static void writeClientConf(Path dir, Configuration cluster) throws IOException {
        Configuration client = new Configuration(false);
        for (String name : new String[] {YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS}) {
            client.set(name, cluster.get(name));
        }
        client.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB,
                cluster.getInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 0));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        try (OutputStream out = Files.newOutputStream(conf.resolve("yarn-site.xml"))) {
            client.writeXml(out);
        }
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", "file:///");
        try (OutputStream out = Files.newOutputStream(conf.resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        Path state = dir.resolve("state.tmp");
        Files.writeString(state, "resourcemanager " + cluster.get(YarnConfiguration.RM_ADDRESS) + "\nwebapp "
                + cluster.get(YarnConfiguration.RM_WEBAPP_ADDRESS) + "\n");
        Files.move(state, dir.resolve("state"), StandardCopyOption.ATOMIC_MOVE);
    }
}
