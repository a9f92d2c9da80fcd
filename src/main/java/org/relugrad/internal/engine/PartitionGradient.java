package org.relugrad.internal.engine;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.relugrad.internal.io.DiskFull;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.io.RowWriter;
import org.relugrad.internal.kernel.Blas;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.BlockKernel;
import org.relugrad.internal.kernel.KernelWarmUp;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;

/** The work of one task: the kernel over its blocks, their exact partial sum, and its rows of ∂f/∂X and ∂f/∂Y. */
final class PartitionGradient {
    /** Each executor thread's last kernel, whose buffers the next task on that thread takes over. */
    private static final ThreadLocal<BlockKernel> LAST_KERNEL = new ThreadLocal<>();

    private PartitionGradient() {
    }

    /**
     * @param w W, d × k, or with a bias (d + 1) × k, b as its last row: the sums are of w's shape, ∂f/∂b following
     *     ∂f/∂W
     * @param float32 whether the input's blocks keep float32 values, for the kernel's warm-up
     * @param sink where dX and dY are written, or null to compute them for {@code check} only
     * @param check sees every block and its gradient; may be null
     * @param plan where the partition's rows start and how many there are, for the sink
     * @param rowsDone where each block's rows are counted once it is done, for the progress a person sees; may be null
     * @param slicedPass the pass whose executor-wide sum ({@link ExecutorSums}) the blocks are added to, or -1 for
     *     the task's own sum, which it returns
     */
    static TaskResult run(Iterator<RowBlock> blocks, Matrix w, boolean bias, boolean float32, Set<Output> outputs,
                          RowSink sink, BlockCheck check, BlockPlan plan, Progress.RowCounter rowsDone,
                          long slicedPass) {
        try {
            return compute(blocks, w, bias, float32, outputs, sink, check, plan, rowsDone, slicedPass);
        } catch (RuntimeException | Error e) {
            // A full disk is full for a retry too: handed back as a value, like an input error.
            if (!DiskFull.is(e)) {
                throw e;
            }
            TaskResult full = new TaskResult(w.rows(), w.cols(), false);
            full.diskFull = e.getMessage();
            return full;
        }
    }

    private static TaskResult compute(Iterator<RowBlock> blocks, Matrix w, boolean bias, boolean float32,
                                      Set<Output> outputs, RowSink sink,
                                      BlockCheck check, BlockPlan plan,
                                      Progress.RowCounter rowsDone, long slicedPass) {
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        long attempt = task.taskAttemptId();
        long firstRow = plan.firstRowOf(partition);
        long rows = plan.rowsOf(partition);
        int d = w.rows() - (bias ? 1 : 0);
        long dk = (long) d * w.cols();
        BlockKernel kernel = BlockKernel.reusing(LAST_KERNEL.get(), w, bias, outputs,
                KernelWarmUp.pathFor(d, w.cols(), outputs, float32, plan.rows() * dk, rows * dk));
        LAST_KERNEL.set(kernel);
        TaskResult result = new TaskResult(w.rows(), w.cols(), slicedPass < 0);
        ExecutorSums.Share share = slicedPass >= 0 && rows > 0 ? ExecutorSums.forPass(slicedPass, w.rows(), w.cols())
                : null;
        boolean whole = false;
        if (kernel.path() == BlockKernel.Path.BLAS) {
            // Only the BLAS kernel calls it: loading a native BLAS takes a task a few tenths of a second.
            result.blas.add(Blas.implementation());
        }
        result.kernel.add(kernel.path().label());
        Map<Output, RowWriter> writers = new EnumMap<>(Output.class);
        try {
            // Every partition writes its part, empty or not, so the parts of a complete output are numbered 0..P-1.
            if (sink != null && outputs.contains(Output.DX)) {
                writers.put(Output.DX, sink.open(Output.DX, partition, attempt, firstRow, rows, d));
            }
            if (sink != null && outputs.contains(Output.DY)) {
                writers.put(Output.DY, sink.open(Output.DY, partition, attempt, firstRow, rows, w.cols()));
            }
            RowWriter dX = writers.get(Output.DX);
            RowWriter dY = writers.get(Output.DY);
            if (check != null) {
                result.checked = check.start();
            }
            if (share != null) {
                share.start(partition);
                result.placeOn(org.apache.spark.SparkEnv.get());
            }
            while (blocks.hasNext()) {
                RowBlock block = blocks.next();
                BlockGradient g = kernel.apply(block);
                if (share != null) {
                    share.add(g);
                } else {
                    result.sum.add(g);
                }
                result.rows += g.rows();
                if (result.checked != null) {
                    result.checked.add(block, g);
                }
                if (dX != null) {
                    dX.write(g.firstRow(), g.rows(), g.dX());
                }
                if (dY != null) {
                    dY.write(g.firstRow(), g.rows(), g.dY());
                }
                if (rowsDone != null) {
                    rowsDone.add(g.rows());
                }
            }
            writers.forEach((tensor, writer) -> result.addPart(tensor, partition, writer.finish()));
            whole = true;
        } catch (InputException e) {
            result.fail(e.error());
        } finally {
            if (share != null) {
                share.finish(partition, whole);
            }
            writers.values().forEach(RowWriter::close);
            if (result.checked != null) {
                result.checked.close();
            }
        }
        return result;
    }
}
