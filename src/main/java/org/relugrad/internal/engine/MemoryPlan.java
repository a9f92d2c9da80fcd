package org.relugrad.internal.engine;

import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.network.util.JavaUtils;
import org.relugrad.internal.kernel.Output;

/**
 * The heap a pass needs, estimated from d, k, B, the outputs and the aggregation path before it starts, so that a
 * pass that cannot fit says so in one line instead of failing in the middle with the JVM's or Spark's words.
 *
 * <p>Each executor holds W twice (the broadcast's value and its serialized pieces, 16·d·k bytes); on the sliced path
 * one exact sum of ∂f/∂W (16·d·k) and, with more than one executor, its slices on their way (16·d·k more); and each
 * task at once a block of B rows (X, Y, Z and G: 8·B·(d + 3k)), its share of ∂f/∂W (8·d·k), its rows of ∂f/∂X and
 * ∂f/∂Y where wanted, and on the other paths its own exact sum (16·d·k). The driver holds W twice and ∂f/∂W twice
 * (as it arrives and as the result). In local mode the driver runs the tasks: its heap must hold both. (There the
 * tasks share the driver's W and the driver rounds the one sum itself ({@link SharedW}, {@link SlicedAggregation}),
 * so a local pass needs about 16·d·k bytes less than reckoned here: a margin, kept.)
 */
final class MemoryPlan {
    private MemoryPlan() {
    }

    /** @throws HeapTooSmall when the pass cannot fit the executors' or the driver's heap */
    static void requireFits(JavaSparkContext sc, BlockPlan plan, int d, int k, Set<Output> outputs,
                            Aggregation.Path path, boolean local) {
        long dk = (long) d * k;
        long b = Math.min(plan.blockRows(), plan.rows());
        long block = 8 * b * (d + 3L * k);
        long task = block + 8 * dk
                + (outputs.contains(Output.DX) ? 8 * b * d : 0) + (outputs.contains(Output.DY) ? 8 * b * k : 0)
                + (path == Aggregation.Path.SLICED ? 0 : 16 * dk);
        long executor = 16 * dk + (path == Aggregation.Path.SLICED ? (local ? 16 : 32) * dk : 0);
        long driver = 32 * dk;
        SparkConf conf = sc.getConf();
        int cores = local ? sc.defaultParallelism() : conf.getInt("spark.executor.cores", 1);
        long tasks = Math.min(cores, Math.min(plan.partitions(), plan.blocks()));
        String what = "a pass at d = " + d + ", k = " + k + " with blocks of " + b + " rows";
        long driverHeap = Runtime.getRuntime().maxMemory();
        if (local) {
            long needed = driver + executor + tasks * task;
            HeapTooSmall.require(what + " (" + tasks + " at once)", needed, driverHeap, true,
                    tasks * block > needed / 2);
            return;
        }
        long executorHeap = JavaUtils.byteStringAsBytes(conf.get("spark.executor.memory", "1g"));
        long needed = executor + tasks * task;
        HeapTooSmall.require(what + " (" + tasks + " at once in each executor)", needed, executorHeap, false,
                tasks * block > needed / 2);
        HeapTooSmall.require("W and ∂f/∂W at d = " + d + ", k = " + k, driver, driverHeap, true, false);
    }
}
