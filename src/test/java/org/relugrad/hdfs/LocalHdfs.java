package org.relugrad.hdfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.namenode.NameNode;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;

/**
 * A real HDFS in one JVM, as scripts/local-hdfs runs it: a NameNode and DataNodes (HDFS's own servers, from
 * hadoop-client-minicluster), every port of them bound to one address, every file of them under one folder.
 *
 * <pre>
 *   LocalHdfs DIR HOST PORT DATANODES     PORT 0: any free port
 * </pre>
 *
 * Once every DataNode has registered and the NameNode has left safe mode it writes DIR/state, one line per server:
 * {@code namenode hdfs://HOST:PORT}, then {@code datanode I HOST:PORT running} (or {@code stopped}). The file
 * DIR/control/stop-datanode-I asks it to stop DataNode I (the fault tests' "a DataNode dies"); SIGTERM stops all.
 * Not MiniDFSCluster: that binds every server to 127.0.0.1, and a host of a multi-host cluster has its own address.
 */
public final class LocalHdfs {
    private static final long START_SECONDS = 120;

    private final Path dir;
    private final String host;
    private final Configuration conf;
    private final List<DataNode> dataNodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Integer> stopped = new ArrayList<>();
    private NameNode nameNode;
    private String uri;

    private LocalHdfs(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.conf = nameNodeConf(dir, host, port);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LocalHdfs DIR HOST PORT DATANODES");
            System.exit(2);
        }
        // Format and start both register the namespace's metrics in this one JVM: let the second replace the first.
        DefaultMetricsSystem.setMiniClusterMode(true);
        LocalHdfs hdfs = new LocalHdfs(Path.of(args[0]).toAbsolutePath(), args[1], Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(hdfs::stop, "local-hdfs-stop"));
        try {
            hdfs.start(Integer.parseInt(args[3]));
            hdfs.serve();
        } catch (Exception e) {
            // The servers' own threads would keep the JVM alive.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static Configuration nameNodeConf(Path dir, String host, int port) {
        Configuration conf = new HdfsConfiguration();
        conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
        conf.set("dfs.namenode.name.dir", dir.resolve("name").toUri().toString());
        conf.set("fs.defaultFS", "hdfs://" + host + ":" + port);
        conf.set("dfs.namenode.rpc-address", host + ":" + port);
        conf.set("dfs.namenode.http-address", host + ":0");
        conf.set("dfs.namenode.https-address", host + ":0");
        conf.set("dfs.namenode.secondary.http-address", host + ":0");
        conf.setInt("dfs.replication", 2);
        conf.setBoolean("dfs.permissions.enabled", false);
        // Nothing to wait for at start: the namespace is new, and every DataNode is counted before the state is written.
        conf.setInt("dfs.namenode.safemode.extension", 0);
        // Hosts of a multi-host test cluster have addresses no name service knows.
        conf.setBoolean("dfs.namenode.datanode.registration.ip-hostname-check", false);
        // A stopped DataNode is declared dead in about 15 s (2 rechecks + 10 heartbeats) instead of 10.5 minutes.
        conf.setInt("dfs.heartbeat.interval", 1);
        conf.setInt("dfs.namenode.heartbeat.recheck-interval", 2000);
        // With two DataNodes, load-based placement would refuse the busier one now and then.
        conf.setBoolean("dfs.namenode.redundancy.considerLoad", false);
        // Few threads: this runs on a small machine beside Spark.
        conf.setInt("dfs.namenode.handler.count", 4);
        conf.setInt("dfs.namenode.service.handler.count", 2);
        conf.setInt("dfs.datanode.handler.count", 2);
        conf.setLong("dfs.block.scanner.volume.bytes.per.second", 0);
        // relugrad speaks HDFS's own protocol; WebHDFS's REST resources alone took the NameNode 20 s to set up.
        conf.setBoolean("dfs.webhdfs.enabled", false);
        return conf;
    }

    private Configuration dataNodeConf(int i) {
        Configuration dn = new Configuration(conf);
        dn.set("dfs.datanode.data.dir", dir.resolve("data/datanode-" + i).toUri().toString());
        dn.set("dfs.datanode.address", host + ":0");
        dn.set("dfs.datanode.http.address", host + ":0");
        dn.set("dfs.datanode.https.address", host + ":0");
        dn.set("dfs.datanode.ipc.address", host + ":0");
        dn.set("dfs.datanode.hostname", host);
        return dn;
    }

    private void start(int count) throws IOException, InterruptedException {
        NameNode.format(conf);
        nameNode = NameNode.createNameNode(new String[0], conf);
        String address = host + ":" + nameNode.getNameNodeAddress().getPort();
        uri = "hdfs://" + address;
        conf.set("fs.defaultFS", uri);
        conf.set("dfs.namenode.rpc-address", address);
        for (int i = 1; i <= count; i++) {
            DataNode dataNode = DataNode.createDataNode(new String[0], dataNodeConf(i));
            dataNodes.add(dataNode);
            ports.add(dataNode.getXferAddress().getPort());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (nameNode.getNamesystem().getNumLiveDataNodes() < count || nameNode.isInSafeMode()
                || !dataNodes.stream().allMatch(DataNode::isDatanodeFullyStarted)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the DataNodes did not register with the NameNode in " + START_SECONDS + " s");
            }
            Thread.sleep(100);
        }
        writeState();
        System.out.println("local-hdfs: NameNode " + uri + " (web UI http://" + host + ":"
                + nameNode.getHttpAddress().getPort() + "), " + count + " DataNodes");
    }

    /** Serves requests from DIR/control until the JVM is told to stop. */
    private void serve() throws IOException, InterruptedException {
        Path control = Files.createDirectories(dir.resolve("control"));
        while (true) {
            for (int i = 1; i <= dataNodes.size(); i++) {
                Path request = control.resolve("stop-datanode-" + i);
                if (Files.exists(request)) {
                    stopDataNode(i);
                    Files.delete(request);
                }
            }
            Thread.sleep(100);
        }
    }

    private synchronized void stopDataNode(int i) throws IOException {
        if (!stopped.contains(i)) {
            dataNodes.get(i - 1).shutdown();
            stopped.add(i);
            System.out.println("local-hdfs: stopped DataNode " + i);
        }
        writeState();
    }

    private synchronized void writeState() throws IOException {
        StringBuilder state = new StringBuilder("namenode " + uri + "\n");
        for (int i = 1; i <= dataNodes.size(); i++) {
            state.append("datanode ").append(i).append(' ').append(host).append(':').append(ports.get(i - 1))
                    .append(stopped.contains(i) ? " stopped" : " running").append('\n');
        }
        Path written = dir.resolve("state.tmp");
        Files.writeString(written, state);
        Files.move(written, dir.resolve("state"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private synchronized void stop() {
        for (int i = 1; i <= dataNodes.size(); i++) {
            if (!stopped.contains(i)) {
                dataNodes.get(i - 1).shutdown();
            }
        }
        if (nameNode != null) {
            nameNode.stop();
            nameNode.join();
        }
    }
}
