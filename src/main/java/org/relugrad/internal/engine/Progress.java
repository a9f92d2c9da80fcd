package org.relugrad.internal.engine;


import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * How far a {@link GradientJob}'s current pass over the rows is, from the rows the tasks report as they go, so the
 * count moves while tasks run, however few partitions there are. Each task adds every block's rows to the pass's
 * accumulator. On a cluster, executors send the running tasks' counts with their heartbeats
 * ({@code spark.executor.heartbeatInterval}, which the cluster package's {@code SparkRuntime} shortens) and finished tasks their final
 * counts, which this listener adds up. In local mode the tasks run in this JVM and also add their rows to a counter
 * here, read at once: local mode keeps Spark's heartbeat interval, since a heartbeat that comes before the driver
 * has registered its own executor fails there with a page of stack traces. Each pass has an accumulator of its own,
 * so reports of an earlier pass that arrive late count for nothing. Read from any thread with {@link #now}.
 */
public final class Progress extends SparkListener implements AutoCloseable {
    /** In local mode: the rows of each pass (by accumulator id) that tasks in this JVM have done. */
    private static final Map<Long, AtomicLong> ROWS_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final SparkContext sc;
    private final long start = System.nanoTime();
    private volatile Pass pass;
    private int iteration;
    private int iterations;

    private Progress(SparkContext sc) {
        this.sc = sc;
    }

    /** Starts following the passes over rows that jobs on {@code sc} run. */
    public static Progress attach(JavaSparkContext sc) {
        Progress progress = new Progress(sc.sc());
        sc.sc().addSparkListener(progress);
        return progress;
    }

    /**
     * What a person is told: the phase ({@code preparing} before the first pass over rows, {@code reading},
     * {@code computing}), rows done of the pass's n, the iteration of {@code --repeat} (0 of 0 without), and the
     * seconds since the pass and since {@link #attach}.
     */
    public record Snapshot(String phase, long rowsDone, long rows, int iteration, int iterations, double passSeconds,
                           double seconds) {
    }

    public Snapshot now() {
        Pass p = pass;
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p == null) {
            return new Snapshot("preparing", 0, 0, 0, 0, 0, seconds);
        }
        long done = p.completed.get();
        for (long running : p.running.values()) {
            done += running;
        }
        AtomicLong local = ROWS_IN_THIS_JVM.get(p.accumulator);
        if (local != null) {
            done = Math.max(done, local.get());
        }
        return new Snapshot(p.phase, Math.min(done, p.rows), p.rows, p.iteration, p.iterations,
                (System.nanoTime() - p.start) / 1e9, seconds);
    }

    /** Which iteration of how many the passes that follow are (0 of 0: not repeated). */
    public synchronized void iteration(int i, int of) {
        iteration = i;
        iterations = of;
    }

    /** A new pass over {@code rows} rows: what its tasks count each block's rows in. */
    synchronized RowCounter begin(String phase, long rows) {
        if (pass != null) {
            ROWS_IN_THIS_JVM.remove(pass.accumulator);
        }
        LongAccumulator rowsDone = sc.longAccumulator("relugrad rows done");
        pass = new Pass(phase, rows, iteration, iterations, rowsDone.id());
        return new RowCounter(rowsDone, sc.isLocal());
    }

    /** What a task counts its rows in: the pass's accumulator and, in local mode, this JVM's counter of the pass. */
    static final class RowCounter implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final LongAccumulator accumulator;
        private final boolean local;

        private RowCounter(LongAccumulator accumulator, boolean local) {
            this.accumulator = accumulator;
            this.local = local;
        }

        /** The pass's accumulator, by which executors' reports name it. */
        long accumulatorId() {
            return accumulator.id();
        }

        /** Counts {@code rows} more rows done by this task. */
        void add(long rows) {
            accumulator.add(rows);
            if (local) {
                ROWS_IN_THIS_JVM.computeIfAbsent(accumulator.id(), id -> new AtomicLong()).addAndGet(rows);
            }
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        Pass p = pass;
        if (p == null) {
            return;
        }
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            long taskId = (Long) task._1();
            Long rows = rowsOf(task._4(), p.accumulator);
            if (rows != null && !p.ended.contains(taskId)) {
                p.running.put(taskId, rows);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Pass p = pass;
        if (p == null) {
            return;
        }
        long taskId = end.taskInfo().taskId();
        Long rows = rowsOf(end.taskInfo().accumulables(), p.accumulator);
        if (rows == null && !p.running.containsKey(taskId)) {
            return;
        }
        p.ended.add(taskId);
        p.running.remove(taskId);
        if (rows != null && end.taskInfo().successful()) {
            p.completed.addAndGet(rows);
        }
    }

    private static Long rowsOf(scala.collection.Seq<AccumulableInfo> infos, long accumulator) {
        for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
            if (info.id() == accumulator && info.update().isDefined()) {
                return ((Number) info.update().get()).longValue();
            }
        }
        return null;
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        if (pass != null) {
            ROWS_IN_THIS_JVM.remove(pass.accumulator);
        }
    }

    /** One pass's counts: finished tasks' rows, and each running task's last report. */
    private static final class Pass {
        final String phase;
        final long rows;
        final int iteration;
        final int iterations;
        final long accumulator;
        final long start = System.nanoTime();
        final AtomicLong completed = new AtomicLong();
        final Map<Long, Long> running = new ConcurrentHashMap<>();
        final Set<Long> ended = ConcurrentHashMap.newKeySet();

        Pass(String phase, long rows, int iteration, int iterations, long accumulator) {
            this.phase = phase;
            this.rows = rows;
            this.iteration = iteration;
            this.iterations = iterations;
            this.accumulator = accumulator;
        }
    }
}
