package org.relugrad.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Spark's warnings and errors about failures relugrad reports itself, in one line of its own: a task's error
 * (relugrad hands input errors and full disks back as values, and names anything else), executors lost and their
 * tasks run again or given up on, and the connection errors that follow a lost executor. --verbose keeps them.
 *
 * <p>Also what some of Spark's classes say at INFO and nowhere else, read as it is logged ({@link #follow}): a
 * standalone master's executors granted to the application, and the reason the master ended it.
 */
public final class SparkLogs {
    private static final List<String> REPORTED_BY_RELUGRAD = List.of(
            "org.apache.spark.executor.Executor",
            "org.apache.spark.scheduler.TaskSetManager",
            "org.apache.spark.scheduler.TaskSchedulerImpl",
            "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend",
            "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend$StandaloneDriverEndpoint",
            "org.apache.spark.scheduler.cluster.YarnScheduler",
            "org.apache.spark.scheduler.cluster.YarnSchedulerBackend$YarnSchedulerEndpoint",
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

    /**
     * Hands every message the logger {@code name} logs at INFO or above to {@code messages}, while what it showed
     * before (where, and from which level) stays as it was; closing puts the logger back as it was.
     */
    static AutoCloseable follow(String name, Consumer<String> messages) {
        if (!(org.apache.logging.log4j.LogManager.getContext(false) instanceof LoggerContext context)) {
            return () -> { };  // another logging implementation: nothing followed
        }
        Configuration config = context.getConfiguration();
        LoggerConfig before = config.getLoggers().get(name);
        LoggerConfig effective = config.getLoggerConfig(name);
        Level shown = effective.getLevel();
        // The appenders its events reach now: those of its configuration and of each parent it passes them on to.
        List<Appender> showing = new ArrayList<>();
        for (LoggerConfig c = effective; c != null; c = c.isAdditive() ? c.getParent() : null) {
            showing.addAll(c.getAppenders().values());
        }
        Appender follower = new AbstractAppender("relugrad-follows-" + name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                messages.accept(event.getMessage().getFormattedMessage());
            }
        };
        follower.start();
        LoggerConfig following = new LoggerConfig(name, Level.INFO, false);
        following.addAppender(follower, Level.INFO, null);
        for (Appender appender : showing) {
            following.addAppender(appender, shown, null);
        }
        replace(context, config, name, following);
        return () -> {
            replace(context, config, name, before);
            follower.stop();
        };
    }

    private static synchronized void replace(LoggerContext context, Configuration config, String name,
                                             LoggerConfig with) {
        if (config.getLoggers().containsKey(name)) {
            config.removeLogger(name);
        }
        if (with != null) {
            config.addLogger(name, with);
        }
        context.updateLoggers();
    }
}
