package org.relugrad.job;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.data.ParallelWork;

/** {@link ParallelWork} as one Spark job with a task per item. */
final class SparkParallelWork implements ParallelWork {
    private final JavaSparkContext sc;

    SparkParallelWork(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> fn) {
        if (items.isEmpty()) {
            return List.of();
        }
        return sc.parallelize(items, items.size()).map(fn::apply).collect();
    }
}
