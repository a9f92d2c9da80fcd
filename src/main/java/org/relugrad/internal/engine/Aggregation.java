package org.relugrad.internal.engine;

import org.apache.spark.api.java.JavaRDD;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Brings every partition's {@link TaskResult} (its exact partial sums of f and ∂f/∂W, its written parts, its errors)
 * to the driver as one exact sum, by one of three paths, chosen by size. Per iteration, with P partitions of which
 * P' have rows, E executors and a partial sum of about 16·d·k bytes (see {@link org.relugrad.internal.kernel.ExactSum}):
 *
 * <ul>
 *   <li>{@code driver}: one job; every task with rows sends its partial to the driver, which merges them: P'·16·d·k
 *       bytes into the driver. The cheapest job Spark runs, for narrow layers computed many times over.
 *   <li>{@code tree}: beyond {@value #DRIVER_MERGE_PARTITIONS} partitions, a tree aggregation: the executors merge
 *       the partials in two or three rounds, the driver receives a few.
 *   <li>{@code sliced}: where the driver path would bring more than {@value #SLICED_ABOVE_BYTES} bytes to the
 *       driver, {@link SlicedAggregation}: the tasks of an executor add to one sum, the executors reduce it in
 *       slices among themselves (each sends about 16·d·k·(E − 1)/E bytes) and the driver receives ∂f/∂W once,
 *       rounded: 8·d·k bytes.
 * </ul>
 *
 * <p>The sums are exact, so every path gives the same bits. {@value #SETTING} (driver, tree, sliced or auto), in
 * Spark's configuration or as a local property of the calling thread, chooses one by hand.
 */
final class Aggregation {
    /** The Spark setting, or local property, that names a path. */
    static final String SETTING = "spark.relugrad.aggregation";
    /** Up to this many partitions, the driver merges the tasks' results itself. */
    static final int DRIVER_MERGE_PARTITIONS = 64;
    /** Above this many bytes of partial sums into the driver, the sliced path. */
    static final long SLICED_ABOVE_BYTES = 64L << 20;
    /** About this many bytes per entry of ∂f/∂W in a partial sum, on the wire. */
    private static final long PARTIAL_BYTES_PER_ENTRY = 16;

    /** The three paths, by the name summary.json gives them. */
    enum Path {
        DRIVER("driver"), TREE("tree"), SLICED("sliced");

        final String label;

        Path(String label) {
            this.label = label;
        }
    }

    private Aggregation() {
    }

    /** The path for a pass over {@code plan}'s blocks with W of d × k, unless {@code chosen} names one. */
    static Path choose(BlockPlan plan, int d, int k, String chosen) {
        if (chosen != null && !chosen.equals("auto")) {
            for (Path p : Path.values()) {
                if (p.label.equals(chosen)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("spark.relugrad.aggregation is driver, tree, sliced or auto, not '"
                    + chosen + "'");
        }
        long withRows = Math.min(plan.partitions(), plan.blocks());
        if (withRows * PARTIAL_BYTES_PER_ENTRY * d * k > SLICED_ABOVE_BYTES) {
            return Path.SLICED;
        }
        return plan.partitions() > DRIVER_MERGE_PARTITIONS ? Path.TREE : Path.DRIVER;
    }

    /**
     * Runs the task {@code task} makes for a pass id (-1 where the tasks keep their own sums) on every partition
     * and sums the results exactly along {@code path}.
     */
    static TaskResult sum(Path path, JavaRDD<RowBlock> blocks, java.util.function.LongFunction<PartitionTask> task,
                          BlockPlan plan, int d, int k) {
        return switch (path) {
            case SLICED -> SlicedAggregation.sum(blocks, task, plan, d, k);
            case TREE -> blocks.mapPartitions(task.apply(-1))
                    .treeReduce(TaskResult::merge, plan.partitions() <= 256 ? 2 : 3);
            case DRIVER -> runTasks(blocks, task.apply(-1));
        };
    }

    /** One job of {@code task} over every partition, its results merged by the driver. */
    static TaskResult runTasks(JavaRDD<RowBlock> blocks, PartitionTask task) {
        TaskResult[] results = (TaskResult[]) blocks.context().runJob(blocks.rdd(), task,
                scala.reflect.ClassTag$.MODULE$.apply(TaskResult.class));
        TaskResult total = results[0];
        for (int p = 1; p < results.length; p++) {
            total.merge(results[p]);
        }
        return total;
    }
}
