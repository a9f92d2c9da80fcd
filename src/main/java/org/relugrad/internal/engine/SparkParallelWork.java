package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.ParallelWork;

/**
 * {@link ParallelWork} as one Spark job with a task per item. An input error a task meets comes back as a value and
 * is thrown on the driver (the earliest item's): a task that threw it would be logged by every executor and retried
 * for nothing.
 */
final class SparkParallelWork implements ParallelWork {
    private final JavaSparkContext sc;

    SparkParallelWork(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** One item's result, or the input error met instead. */
    private record Outcome<R>(R value, InputError error) implements Serializable {
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> fn) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Outcome<R>> outcomes = sc.parallelize(items, items.size()).map(item -> {
            try {
                return new Outcome<>(fn.apply(item), null);
            } catch (InputException e) {
                return new Outcome<R>(null, e.error());
            }
        }).collect();
        List<R> results = new ArrayList<>(outcomes.size());
        for (Outcome<R> outcome : outcomes) {
            if (outcome.error() != null) {
                throw new InputException(outcome.error());
            }
            results.add(outcome.value());
        }
        return results;
    }
}
