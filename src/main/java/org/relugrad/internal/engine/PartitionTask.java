package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.relugrad.internal.io.RowSink;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction2;

/**
 * One partition's share of a gradient run ({@link PartitionGradient#run}), in the two shapes Spark takes it: as the
 * function of {@code SparkContext.runJob} and as a {@code mapPartitions} function. A named class rather than a
 * lambda: Spark's closure cleaner reads the bytecode of the class a lambda was written in, and of its own classes
 * for the functions its actions make, on every job; with this class and runJob, one iteration's job costs about
 * 5 ms of scheduling here instead of about 16.
 */
final class PartitionTask extends AbstractFunction2<TaskContext, scala.collection.Iterator<RowBlock>, TaskResult>
        implements FlatMapFunction<Iterator<RowBlock>, TaskResult>, Serializable {
    private static final long serialVersionUID = 1L;

    private final SharedW w;
    private final boolean bias;
    private final boolean float32;
    private final Set<Output> outputs;
    private final RowSink sink;
    private final BlockCheck check;
    private final BlockPlan plan;
    private final Progress.RowCounter rowsDone;
    private final long slicedPass;

    /** See {@link PartitionGradient#run} for the parameters. */
    PartitionTask(SharedW w, boolean bias, boolean float32, Set<Output> outputs, RowSink sink, BlockCheck check,
                  BlockPlan plan, Progress.RowCounter rowsDone, long slicedPass) {
        this.slicedPass = slicedPass;
        this.w = w;
        this.bias = bias;
        this.float32 = float32;
        this.outputs = outputs;
        this.sink = sink;
        this.check = check;
        this.plan = plan;
        this.rowsDone = rowsDone;
    }

    @Override
    public TaskResult apply(TaskContext task, scala.collection.Iterator<RowBlock> blocks) {
        return PartitionGradient.run(CollectionConverters.asJava(blocks), w.value(), bias, float32, outputs, sink,
                check, plan, rowsDone, slicedPass);
    }

    @Override
    public Iterator<TaskResult> call(Iterator<RowBlock> blocks) {
        return List.of(PartitionGradient.run(blocks, w.value(), bias, float32, outputs, sink, check, plan, rowsDone,
                slicedPass)).iterator();
    }
}
