package org.relugrad.internal.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * Ends a run on a cluster whose executors cannot reach the driver, which Spark would leave waiting for ever: a
 * standalone master restarts executors that exit, and Spark waits for one to register, saying nothing. The watch
 * learns what {@link ExecutorStartup} needs from Spark: the executors a standalone master grants (its scheduler
 * backend's log), the executors removed before they registered (Spark's listener bus tells of those too) and the
 * first that registers. Once {@link ExecutorStartup} gives up, the watch stops the context, which ends the job under
 * way, and {@link #explain} says why in the run's one line.
 *
 * <p>It also keeps the reason a standalone master gave for ending the application (killed, or its executors failed
 * too often), which Spark logs and otherwise only reports as a job cancelled because the context stopped.
 */
final class ExecutorWatch extends SparkListener implements AutoCloseable {
    static final String BACKEND = "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend";
    private static final Pattern GRANTED = Pattern.compile("^Granted executor ID \\S+/(\\S+) on hostPort (\\S+)");
    private static final Pattern KILLED = Pattern.compile("^Application has been killed\\. Reason: (.*)");
    private static final long POLL_MILLIS = 250;

    /** The failure this JVM's last watched run ended with, and the reason its master gave, if any. */
    private static volatile RunFailure ended;
    private static volatile String masterEnded;

    private final ExecutorStartup startup;
    private final AutoCloseable follower;
    private volatile SparkContext sc;
    private volatile boolean closed;
    private Thread thread;

    private ExecutorWatch(DriverAddress.Source source) {
        this.startup = new ExecutorStartup(source);
        this.follower = SparkLogs.follow(BACKEND, this::backendSays);
    }

    /** Begins to follow what the scheduler backend says; call before the context starts, then {@link #watch}. */
    static ExecutorWatch follow(DriverAddress.Source source) {
        ended = null;
        masterEnded = null;
        return new ExecutorWatch(source);
    }

    /** Watches the started context's executors until one registers, or the watch is closed. */
    void watch(SparkContext context) {
        this.sc = context;
        context.addSparkListener(this);
        String driver = context.getConf().get(DriverAddress.HOST, "?") + ":" + context.getConf().get("spark.driver.port", "?");
        thread = new Thread(() -> run(driver), "relugrad executor watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String driver) {
        while (!closed && !sc.isStopped()) {
            if (sc.statusTracker().getExecutorInfos().length > 1) {  // the driver's own, and an executor's
                startup.registered();
            }
            if (startup.anyRegistered()) {
                return;
            }
            Optional<String> failure = startup.failure(System.nanoTime(), driver);
            if (failure.isPresent()) {
                ended = new RunFailure(failure.get(), null);
                sc.stop();
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void backendSays(String message) {
        Matcher granted = GRANTED.matcher(message);
        if (granted.find()) {
            String hostPort = granted.group(2);
            int colon = hostPort.lastIndexOf(':');
            startup.started(granted.group(1), colon > 0 ? hostPort.substring(0, colon) : hostPort, System.nanoTime());
            return;
        }
        Matcher killed = KILLED.matcher(message);
        if (killed.find()) {
            masterEnded = killed.group(1).strip();
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        startup.registered();
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        startup.exited(removed.executorId(), removed.reason());
    }

    @Override
    public void close() {
        closed = true;
        if (sc != null && !sc.isStopped()) {
            sc.removeSparkListener(this);
        }
        try {
            follower.close();
        } catch (Exception e) {
            // the logger stays as the follower left it: nothing shown that was not before
        }
    }

    /**
     * Why the last watched run ended, when the watch ended it or its master did; null otherwise. Whatever failed
     * in the run after that (a job cancelled as the context stopped, a stopped context used) has that cause.
     */
    static RunFailure explain(Throwable failure) {
        RunFailure watched = ended;
        if (watched != null) {
            return new RunFailure(watched.getMessage(), failure);
        }
        String master = masterEnded;
        if (master != null) {
            return new RunFailure("the cluster's master ended the application (" + master + "), as it does when "
                    + "someone kills it or its executors keep failing to start; nothing was kept: read the workers' "
                    + "logs for the executors' errors", failure);
        }
        return null;
    }
}
