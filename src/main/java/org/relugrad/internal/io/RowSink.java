package org.relugrad.internal.io;

import java.io.Serializable;
import java.util.SortedMap;
import org.relugrad.internal.kernel.Output;

/**
 * Where the per-row gradients ∂f/∂X and ∂f/∂Y go: written by the tasks themselves, one part per partition, never
 * through the driver. Each task attempt writes its own part; the driver then commits the parts of the attempts
 * whose results it kept, so a retried or speculative task never leaves rows twice.
 */
public interface RowSink extends Serializable {

    /**
     * On the driver, before any task writes: the whole output of {@code tensor} will be {@code rows} × {@code cols}.
     * Sinks that lay out one file for all rows prepare it here; others need nothing.
     */
    default void begin(Output tensor, long rows, int cols) {
    }

    /**
     * Inside a task: a writer for this attempt's part of {@code tensor}: the {@code rows} rows from global row
     * {@code firstRow} on (known from the plan before any is computed), each {@code cols} wide.
     */
    RowWriter open(Output tensor, int partition, long attemptId, long firstRow, long rows, int cols);

    /** On the driver: makes the parts named by {@link RowWriter#finish()} the output, partition by partition. */
    void commit(Output tensor, SortedMap<Integer, String> parts);
}
