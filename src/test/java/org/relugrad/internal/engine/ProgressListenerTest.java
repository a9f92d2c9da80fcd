package org.relugrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.TaskState$;
import org.apache.spark.TaskKilled;
import org.apache.spark.Success$;
import org.apache.spark.TaskEndReason;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.scheduler.TaskLocality$;
import org.junit.jupiter.api.Test;
import org.relugrad.SharedSpark;
import scala.Option;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress on a cluster, from what the executors report: running tasks' counts with their heartbeats, finished
 * tasks' final counts; a late heartbeat of a finished task, a killed task's count and another pass's reports count
 * for nothing. The events are made here as Spark's scheduler posts them.
 */
class ProgressListenerTest extends SharedSpark {

    private static AccumulableInfo rows(long accumulator, long value) {
        return new AccumulableInfo(accumulator, Option.apply("relugrad rows done"), Option.apply(value),
                Option.empty(), false, false, Option.empty());
    }

    private static SparkListenerExecutorMetricsUpdate heartbeat(long task, AccumulableInfo info) {
        Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> update =
                new Tuple4<>(task, 0, 0, CollectionConverters.asScala(List.of(info)).toSeq());
        return new SparkListenerExecutorMetricsUpdate("1", CollectionConverters.asScala(List.of(update)).toSeq(),
                scala.collection.immutable.Map$.MODULE$.empty());
    }

    private static SparkListenerTaskEnd ended(long task, AccumulableInfo info, TaskEndReason reason) {
        TaskInfo taskInfo = new TaskInfo(task, 0, 0, 0, 0L, "1", "host", TaskLocality$.MODULE$.PROCESS_LOCAL(), false);
        taskInfo.setAccumulables(CollectionConverters.asScala(List.of(info)).toSeq());
        taskInfo.markFinished(reason == Success$.MODULE$ ? TaskState$.MODULE$.FINISHED() : TaskState$.MODULE$.KILLED(),
                1L);
        return new SparkListenerTaskEnd(0, 0, "ResultTask", reason, taskInfo, null, null);
    }

    @Test
    void runningTasksCountUntilTheyEndAndOnlyTheirPassCounts() {
        try (Progress progress = Progress.attach(sc)) {
            long old = progress.begin("computing", 1000).accumulatorId();
            long pass = progress.begin("computing", 1000).accumulatorId();
            progress.onExecutorMetricsUpdate(heartbeat(1, rows(pass, 100)));
            progress.onExecutorMetricsUpdate(heartbeat(2, rows(pass, 50)));
            assertEquals(150, progress.now().rowsDone());
            progress.onExecutorMetricsUpdate(heartbeat(1, rows(pass, 300)));
            progress.onExecutorMetricsUpdate(heartbeat(7, rows(old, 999)));
            assertEquals(350, progress.now().rowsDone());

            progress.onTaskEnd(ended(1, rows(pass, 400), Success$.MODULE$));
            progress.onExecutorMetricsUpdate(heartbeat(1, rows(pass, 300)));
            assertEquals(450, progress.now().rowsDone());

            progress.onTaskEnd(ended(2, rows(pass, 60), new TaskKilled("another attempt finished",
                    CollectionConverters.asScala(List.<AccumulableInfo>of()).toSeq(),
                    CollectionConverters.asScala(List.<org.apache.spark.util.AccumulatorV2<?, ?>>of()).toSeq(),
                    CollectionConverters.asScala(List.<Object>of()).toSeq())));
            assertEquals(400, progress.now().rowsDone());
            progress.onExecutorMetricsUpdate(heartbeat(3, rows(pass, 200)));
            assertEquals(600, progress.now().rowsDone());
            assertEquals(1000, progress.now().rows());

            progress.begin("computing", 1000);
            assertEquals(0, progress.now().rowsDone());
        }
    }
}
