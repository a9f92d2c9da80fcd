package org.relugrad.internal.cluster;


import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts Spark for a command: the master and the rest come from spark-submit; local[*] when none is given. The
 * driver's address is one its executors reach ({@link DriverAddress}); on a cluster, a run whose executors cannot
 * reach it anyway is ended in one line ({@link ExecutorWatch}) instead of waiting for them for ever.
 */
public final class SparkRuntime implements AutoCloseable {
    private final JavaSparkContext sc;
    private final boolean owned;
    private final ExecutorWatch watch;

    private SparkRuntime(JavaSparkContext sc, boolean owned, ExecutorWatch watch) {
        this.sc = sc;
        this.owned = owned;
        this.watch = watch;
    }

    /** A context someone else started and will stop (tests share one per class). */
    public static SparkRuntime borrow(JavaSparkContext sc) {
        return new SparkRuntime(sc, false, null);
    }

    public static SparkRuntime start(String appName) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.app.name", appName)
                .setIfMissing("spark.master", "local[*]")
                .setIfMissing("spark.ui.enabled", "false")
                // relugrad shows its own progress, in rows (the engine's Progress): Spark's bar counts only finished tasks.
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        String master = conf.get("spark.master");
        if (!master.startsWith("local")) {
            // Running tasks' row counts reach the driver with the executors' heartbeats (Spark's default: 10 s).
            conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
        }
        if (master.equals("local") || master.startsWith("local[")) {
            // In local mode (not local-cluster, whose executors get W broadcast) the tasks share the driver's W by
            // reference, so Spark broadcasts only each job's task binary, of a few kilobytes, into a new buffer of
            // this size: at Spark's 4m, a large allocation per job, 8 to 18 % of an early iteration over small
            // cached blocks (n = 10^5, d = k = 4: iterations 2 to 20 took a median 41.6 to 49.0 ms against 45.2
            // to 56.8).
            conf.setIfMissing("spark.broadcast.blockSize", "256k");
        }
        DriverAddress.Source address = DriverAddress.choose(conf, System::getenv);
        AuthenticationSecret.fill(conf);
        MasterProbe.requireAnswer(conf.get("spark.master"));
        MasterAuthentication.check(conf);
        if (conf.get("spark.master").startsWith("local")) {
            return new SparkRuntime(new JavaSparkContext(conf), true, null);
        }
        ExecutorWatch watch = ExecutorWatch.follow(address);
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        watch.watch(sc.sc());
        return new SparkRuntime(sc, true, watch);
    }

    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (owned) {
            sc.stop();
        }
    }
}
