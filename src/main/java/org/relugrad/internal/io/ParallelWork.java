package org.relugrad.internal.io;

import java.io.Serializable;
import java.util.List;

/**
 * Work an input hands to the cluster while it is indexed on the driver (counting the lines of each split, reading
 * the footers of many files): each item is processed by a task, where the data is, and the results come back in the
 * items' order. The job supplies it; an input knows nothing of how it runs.
 */
public interface ParallelWork {

    /** Applies {@code fn} to every item, in parallel, and returns the results in the items' order. */
    <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> fn);

    /** One item's work, run inside a task; an {@link InputException} it throws reaches the driver as it is
     * (the earliest item's), without failing the task. */
    @FunctionalInterface
    interface Task<T, R> extends Serializable {
        R apply(T item);
    }
}
