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

    final GradientSum sum;
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

    TaskResult(int d, int k) {
        this.sum = new GradientSum(d, k);
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
        sum.merge(other.sum);
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
