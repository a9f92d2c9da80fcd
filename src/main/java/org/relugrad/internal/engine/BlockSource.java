package org.relugrad.internal.engine;

import org.relugrad.internal.engine.numbered.NumberedChunks;
import org.relugrad.internal.engine.numbered.NumberedBlocks;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.TaskCompletionListener;
import org.relugrad.Blocking;
import org.relugrad.Matrix;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRowsInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Makes an input ready for passes: reads W, indexes the rows (n, and where each row is), plans the blocks
 * ({@link BlockPlan}) and describes them as an RDD that reads each block in the partition that owns it, or, for rows
 * that come numbered in any order, one that brings each block's rows together ({@link NumberedBlocks}).
 */
final class BlockSource {
    private static final Logger LOG = LogManager.getLogger(BlockSource.class);

    private BlockSource() {
    }

    /** @throws InputException for input the user must fix */
    static PreparedInput prepare(JavaSparkContext sc, RowRangeInput input, Blocking blocking) {
        long start = System.nanoTime();
        int p = partitions(sc, blocking);
        Matrix w = input.open(sc.hadoopConfiguration());
        int blockRows = blockRows(blocking, w.rows(), w.cols());
        input.index(new SparkParallelWork(sc));
        BlockPlan plan = new BlockPlan(input.rows(), blockRows, p);
        JavaRDD<RowBlock> blocks;
        JavaRDD<RowBlock> distinctBlocks;
        if (input instanceof NumberedRowsInput numbered && !numbered.inStoredOrder()) {
            blocks = NumberedBlocks.of(NumberedBlocks.stored(sc, numbered), numbered::misnumbered, plan, w.rows(),
                    w.cols());
            distinctBlocks = blocks;
        } else {
            blocks = rangeBlocks(sc, input, plan, true);
            distinctBlocks = rangeBlocks(sc, input, plan, false);
        }
        LOG.info("{} rows, d = {}, k = {}: {} blocks of {} rows in {} partitions",
                plan.rows(), w.rows(), w.cols(), plan.blocks(), blockRows, p);
        return new PreparedInput(w, w.rows(), w.cols(), plan, blocks, distinctBlocks, seconds(start),
                input.describe(), input.float32());
    }

    /**
     * Rows that come numbered, in any order and any partitioning (a Dataset's rows, an RDD's): one shuffle brings
     * each block's rows together, so the blocks, and every result, are the same bits however the rows were
     * partitioned. The input names no W.
     */
    static PreparedInput prepare(JavaSparkContext sc, NumberedChunks rows, Blocking blocking) {
        long start = System.nanoTime();
        int blockRows = blockRows(blocking, rows.d(), rows.k());
        BlockPlan plan = new BlockPlan(rows.rows(), blockRows, partitions(sc, blocking));
        JavaRDD<RowBlock> blocks = NumberedBlocks.of(rows.chunks(), rows.misnumbered(), plan, rows.d(), rows.k());
        return new PreparedInput(null, rows.d(), rows.k(), plan, blocks, blocks, seconds(start), rows.describe());
    }

    private static int partitions(JavaSparkContext sc, Blocking blocking) {
        return blocking.partitions() > 0 ? blocking.partitions() : sc.defaultParallelism();
    }

    private static int blockRows(Blocking blocking, int d, int k) {
        int blockRows = blocking.blockRows() != Blocking.CHOSEN_BLOCK_ROWS ? blocking.blockRows()
                : BlockPlan.defaultBlockRows(d, k);
        BlockPlan.requireBlockFits(blockRows, d, k);
        return blockRows;
    }

    /**
     * The blocks of a row-range input, read by the partitions that own them.
     *
     * @param reuseArrays whether each block may be read into the arrays of the one before: only for a consumer
     *     that is done with a block when it asks for the next, never for a cache
     */
    private static JavaRDD<RowBlock> rangeBlocks(JavaSparkContext sc, RowRangeInput input, BlockPlan plan,
                                                 boolean reuseArrays) {
        List<Integer> partitionIds = IntStream.range(0, plan.partitions()).boxed().toList();
        return sc.parallelize(partitionIds, plan.partitions()).mapPartitions(ids -> {
            int p = ids.next();
            return new BlockRange(input, plan, plan.firstBlock(p), plan.firstBlock(p + 1), reuseArrays);
        });
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Reads blocks [from, to) of a row-range input one at a time, through one {@link RowRangeInput.RangeReader}. */
    private static final class BlockRange implements Iterator<RowBlock> {
        private final BlockPlan plan;
        private final long to;
        private final boolean reuseArrays;
        private final RowRangeInput.RangeReader reader;
        private long next;
        private RowBlock previous;

        BlockRange(RowRangeInput input, BlockPlan plan, long from, long to, boolean reuseArrays) {
            this.plan = plan;
            this.next = from;
            this.to = to;
            this.reuseArrays = reuseArrays;
            this.reader = input.reader(plan.firstRow(from), Math.min(plan.rows(), plan.firstRow(to)));
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) done -> reader.close());
            }
        }

        @Override
        public boolean hasNext() {
            return next < to;
        }

        @Override
        public RowBlock next() {
            long block = next++;
            RowBlock read = reader.next(plan.rowsIn(block), reuseArrays ? previous : null);
            previous = read;
            if (next == to) {
                reader.close();
            }
            return read;
        }
    }
}
