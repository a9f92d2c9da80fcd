package org.relugrad.internal.engine;

import org.apache.spark.api.java.JavaRDD;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Brings every partition's {@link TaskResult} (its exact partial sums of f and ∂f/∂W, its written parts, its errors)
 * to the driver as one exact sum.
 */
final class Aggregation {
    /** Up to this many partitions, the driver merges the tasks' results itself. */
    static final int DRIVER_MERGE_PARTITIONS = 64;

    private Aggregation() {
    }

    /**
     * Runs {@code task} on every partition and sums the results exactly. Up to {@value #DRIVER_MERGE_PARTITIONS}
     * partitions, one job whose results the driver merges (the cheapest job Spark runs, which matters when the
     * gradient is computed many times); beyond that, a tree aggregation, so the driver merges few partials at once.
     */
    static TaskResult sum(JavaRDD<RowBlock> blocks, PartitionTask task, int partitions) {
        if (partitions > DRIVER_MERGE_PARTITIONS) {
            return blocks.mapPartitions(task).treeReduce(TaskResult::merge, partitions <= 256 ? 2 : 3);
        }
        TaskResult[] results = (TaskResult[]) blocks.context().runJob(blocks.rdd(), task,
                scala.reflect.ClassTag$.MODULE$.apply(TaskResult.class));
        TaskResult total = results[0];
        for (int p = 1; p < results.length; p++) {
            total.merge(results[p]);
        }
        return total;
    }
}
