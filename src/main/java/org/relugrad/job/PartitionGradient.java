package org.relugrad.job;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.relugrad.data.InputException;
import org.relugrad.data.RowSink;
import org.relugrad.data.RowWriter;
import org.relugrad.math.Blas;
import org.relugrad.math.BlockGradient;
import org.relugrad.math.BlockKernel;
import org.relugrad.math.Matrix;
import org.relugrad.math.RowBlock;
import org.relugrad.math.Tensor;

/** The work of one task: the kernel over its blocks, their exact partial sum, and its rows of ∂f/∂X and ∂f/∂Y. */
final class PartitionGradient {
    /** Each executor thread's last kernel, whose buffers the next task on that thread takes over. */
    private static final ThreadLocal<BlockKernel> LAST_KERNEL = new ThreadLocal<>();

    private PartitionGradient() {
    }

    static TaskResult run(Iterator<RowBlock> blocks, Matrix w, Set<Tensor> outputs, RowSink sink) {
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        long attempt = task.taskAttemptId();
        BlockKernel kernel = BlockKernel.reusing(LAST_KERNEL.get(), w, outputs);
        LAST_KERNEL.set(kernel);
        TaskResult result = new TaskResult(w.rows(), w.cols());
        result.blas.add(Blas.implementation());
        Map<Tensor, RowWriter> writers = new EnumMap<>(Tensor.class);
        try {
            // Every partition writes its part, empty or not, so the parts of a complete output are numbered 0..P-1.
            if (outputs.contains(Tensor.DX)) {
                writers.put(Tensor.DX, sink.open(Tensor.DX, partition, attempt, w.rows()));
            }
            if (outputs.contains(Tensor.DY)) {
                writers.put(Tensor.DY, sink.open(Tensor.DY, partition, attempt, w.cols()));
            }
            RowWriter dX = writers.get(Tensor.DX);
            RowWriter dY = writers.get(Tensor.DY);
            while (blocks.hasNext()) {
                BlockGradient g = kernel.apply(blocks.next());
                result.sum.add(g);
                if (dX != null) {
                    dX.write(g.firstRow(), g.rows(), g.dX());
                }
                if (dY != null) {
                    dY.write(g.firstRow(), g.rows(), g.dY());
                }
            }
            writers.forEach((tensor, writer) -> result.addPart(tensor, partition, writer.finish()));
        } catch (InputException e) {
            result.fail(e.error());
        } finally {
            writers.values().forEach(RowWriter::close);
        }
        return result;
    }
}
