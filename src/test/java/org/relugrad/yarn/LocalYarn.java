package org.relugrad.yarn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;

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
 * {@code webapp HOST:PORT}, then {@code nodemanager I HOST:PORT running} or {@code stopped} for each, I from 1);
 * SIGTERM stops it, and the NodeManagers stop their containers.
 *
 * <p>The file DIR/run/stop-nodemanager-I asks it to stop NodeManager I alone, as a node that fails: the processes of
 * its containers (those that carry the marker and the NodeManager's port, NM_PORT, in their environment) get
 * SIGKILL, the NodeManager stops (and tells the ResourceManager it is gone), and once none of those processes is
 * left the state says {@code stopped} and the file is removed.
 */
public final class LocalYarn {
    private static final long START_MILLIS = 120_000;
    private static final long CONTAINERS_GONE_SECONDS = 20;
    private static final long REQUEST_POLL_MILLIS = 200;

    private final Path dir;
    private final MiniYARNCluster yarn;
    private final List<Boolean> nodeManagerStopped = new ArrayList<>();
    private String resourceManager;
    private String webapp;

    private LocalYarn(Path dir, MiniYARNCluster yarn) {
        this.dir = dir;
        this.yarn = yarn;
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
        LocalYarn local = new LocalYarn(dir, yarn);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (local) {
                yarn.stop();
            }
            stopped.countDown();
        }, "local-yarn-stop"));
        try {
            yarn.init(conf);
            yarn.start();
            if (!yarn.waitForNodeManagersToConnect(START_MILLIS)) {
                throw new IOException("the NodeManagers did not register in " + START_MILLIS / 1000 + " s");
            }
            local.started(nodeManagers);
        } catch (Throwable e) {
            // The servers' own threads would keep the JVM alive.
            e.printStackTrace();
            System.exit(1);
        }
        while (!stopped.await(REQUEST_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            try {
                local.serveRequests();
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private synchronized void started(int nodeManagers) throws IOException {
        Configuration cluster = yarn.getConfig();
        resourceManager = cluster.get(YarnConfiguration.RM_ADDRESS);
        webapp = cluster.get(YarnConfiguration.RM_WEBAPP_ADDRESS);
        for (int i = 0; i < nodeManagers; i++) {
            nodeManagerStopped.add(false);
        }
        writeClientConf(dir, cluster);
        writeState();
    }

    /** Stops each NodeManager whose request file DIR/run/stop-nodemanager-I is there, then removes the file. */
    private synchronized void serveRequests() throws IOException, InterruptedException {
        for (int i = 1; i <= nodeManagerStopped.size(); i++) {
            Path request = dir.resolve("run/stop-nodemanager-" + i);
            if (Files.exists(request)) {
                stopNodeManager(i);
                Files.delete(request);
            }
        }
    }

    /**
     * Stops NodeManager I as a node that fails: every process of its containers gets SIGKILL at once, then the
     * NodeManager stops (telling the ResourceManager it is gone). Its own stop would kill the containers too, but
     * only after a wait (15 s in a trial), by which time a short job is over. Returns once none of those processes
     * is left, any that appeared meanwhile killed as well.
     */
    private void stopNodeManager(int i) throws IOException, InterruptedException {
        if (nodeManagerStopped.get(i - 1)) {
            return;
        }
        NodeManager nodeManager = yarn.getNodeManager(i - 1);
        int port = nodeManager.getNMContext().getNodeId().getPort();
        List<ProcessHandle> killed = containerProcesses(port);
        killed.forEach(ProcessHandle::destroyForcibly);
        nodeManager.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONTAINERS_GONE_SECONDS);
        for (List<ProcessHandle> left = containerProcesses(port); !left.isEmpty(); left = containerProcesses(port)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes of NodeManager " + i + "'s containers outlived SIGKILL: " + left);
            }
            left.forEach(ProcessHandle::destroyForcibly);
            Thread.sleep(100);
        }
        nodeManagerStopped.set(i - 1, true);
        writeState();
        System.err.println("local-yarn: stopped NodeManager " + i + " (port " + port + ") and killed its "
                + killed.size() + " container processes");
    }

    /** The processes of NodeManager PORT's containers: the marker and NM_PORT=PORT in their environment. */
    private List<ProcessHandle> containerProcesses(int port) {
        List<String> wanted = List.of("RELUGRAD_LOCAL_YARN=" + dir, "NM_PORT=" + port);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != ProcessHandle.current().pid()).filter(p -> {
                try {
                    String environment = Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"),
                            StandardCharsets.ISO_8859_1);
                    return List.of(environment.split("\0")).containsAll(wanted);
                } catch (IOException | RuntimeException e) {
                    return false;  // gone meanwhile, or not ours to read
                }
            }).toList();
        }
    }

    private synchronized void writeState() throws IOException {
        StringBuilder state = new StringBuilder("resourcemanager " + resourceManager + "\nwebapp " + webapp + "\n");
        for (int i = 1; i <= nodeManagerStopped.size(); i++) {
            state.append("nodemanager ").append(i).append(' ')
                    .append(yarn.getNodeManager(i - 1).getNMContext().getNodeId())
                    .append(nodeManagerStopped.get(i - 1) ? " stopped" : " running").append('\n');
        }
        Path written = dir.resolve("state.tmp");
        Files.writeString(written, state);
        Files.move(written, dir.resolve("state"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
        // A NodeManager that stops tells the ResourceManager; one that dies silent is given up after 10 s, not 10
        // minutes, and its containers with it.
        conf.setLong(YarnConfiguration.RM_NM_EXPIRY_INTERVAL_MS, 10_000);
        return conf;
    }

    /** A client's configuration: where the ResourceManager is, and the file system, in DIR/conf. */
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
    }
}
