package org.relugrad.internal.cluster;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Spark's warnings and errors about failures relugrad reports itself, in one line of its own: a task's error
 * (relugrad hands input errors and full disks back as values, and names anything else), executors lost and their
 * tasks run again or given up on, and the connection errors that follow a lost executor. --verbose keeps them.
 */
public final class SparkLogs {
    private static final List<String> REPORTED_BY_RELUGRAD = List.of(
            "org.apache.spark.executor.Executor",
            "org.apache.spark.scheduler.TaskSetManager",
            "org.apache.spark.scheduler.TaskSchedulerImpl",
            "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend",
            "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend$StandaloneDriverEndpoint",
            "org.apache.spark.storage.BlockManagerMasterEndpoint",
            "org.apache.spark.network.client.TransportClient",
            "org.apache.spark.network.client.TransportResponseHandler",
            "org.apache.spark.network.server.TransportChannelHandler");

    private SparkLogs() {
    }

    /** Turns those loggers off; call before Spark starts. */
    public static void quietWhatRelugradReports() {
        REPORTED_BY_RELUGRAD.forEach(name -> Configurator.setLevel(name, Level.OFF));
    }
}
