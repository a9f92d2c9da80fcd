package org.relugrad.data;

import java.io.Serializable;
import java.util.SortedMap;
import org.relugrad.math.Tensor;

/**
 * Where the per-row gradients ∂f/∂X and ∂f/∂Y go: written by the tasks themselves, one part per partition, never
 * through the driver. Each task attempt writes its own part; the driver then commits the parts of the attempts
 * whose results it kept, so a retried or speculative task never leaves rows twice.
 */
public interface RowSink extends Serializable {

    /** Inside a task: a writer for this attempt's part of {@code tensor}, for rows {@code cols} wide. */
    RowWriter open(Tensor tensor, int partition, long attemptId, int cols);

    /** On the driver: makes the parts named by {@link RowWriter#finish()} the output, partition by partition. */
    void commit(Tensor tensor, SortedMap<Integer, String> parts);
}
