package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.kernel.GradientSum;
import org.relugrad.internal.kernel.Output;

/**
 * What partitions hand to the aggregation: their exact partial sums, the per-row parts they wrote, and the first
 * input error they met, if any (an error travels as a value: a task that throws would be retried for nothing).
 */
final class TaskResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The exact partial sums, or null where the tasks added them to their executor's ({@link ExecutorSums}). */
    GradientSum sum;
    /** The rows the tasks computed. */
    long rows;
    /** The executors whose {@link ExecutorSums} hold the tasks' sums, by id, with their hosts. */
    final SortedMap<String, String> executors = new TreeMap<>();
    final Map<Output, SortedMap<Integer, String>> parts = new EnumMap<>(Output.class);
    /** The BLAS implementations the tasks used: bitwise reproducibility holds across tasks that use the same one. */
    final SortedSet<String> blas = new TreeSet<>();
    /** The kernel paths the tasks ran (fused or BLAS), chosen by the shape of W alone. */
    final SortedSet<String> kernel = new TreeSet<>();
    InputError error;
    /** What a task's write said when it found the disk full: a value too, since a retry would find it full again. */
    String diskFull;
    /** The tasks' share of a {@link BlockCheck}, when one rides along. */
    BlockCheck.Part checked;
    /** ∂f/∂W rounded and f's exact sum, where {@link SlicedAggregation} reduced the executors' sums; else null. */
    transient SlicedAggregation.Reduced rounded;

    /** @param ownSum whether the tasks return their sums, rather than add them to their executor's */
    TaskResult(int d, int k, boolean ownSum) {
        this.sum = ownSum ? new GradientSum(d, k) : null;
    }

    /** Records the executor this task added its blocks to. */
    void placeOn(org.apache.spark.SparkEnv executor) {
        executors.put(executor.executorId(), executor.blockManager().blockManagerId().host());
    }

    void addPart(Output tensor, int partition, String part) {
        parts.computeIfAbsent(tensor, t -> new TreeMap<>()).put(partition, part);
    }

    void fail(InputError e) {
        if (error == null || e.compareTo(error) < 0) {
            error = e;
        }
    }

    /** Folds {@code other} into this; order does not matter. */
    TaskResult merge(TaskResult other) {
        if (sum == null) {
            sum = other.sum;
        } else if (other.sum != null) {
            sum.merge(other.sum);
        }
        rows += other.rows;
        executors.putAll(other.executors);
        blas.addAll(other.blas);
        kernel.addAll(other.kernel);
        other.parts.forEach((tensor, byPartition) ->
                byPartition.forEach((partition, part) -> addPart(tensor, partition, part)));
        if (other.checked != null) {
            checked = checked == null ? other.checked : checked.merge(other.checked);
        }
        if (other.error != null) {
            fail(other.error);
        }
        if (diskFull == null) {
            diskFull = other.diskFull;
        }
        return this;
    }
}
