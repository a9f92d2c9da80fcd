package org.relugrad.internal.engine.numbered;

import org.relugrad.internal.engine.BlockPlan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRows;
import org.relugrad.internal.io.NumberedRowsInput;
import org.relugrad.internal.kernel.RowBlock;
import scala.Tuple2;

/**
 * Row blocks from rows that come out of order, each with its number (a {@link NumberedRowsInput} stored out of
 * order, a Dataset's rows): tasks take the chunks of rows in their own order, cut each into the pieces that fall in
 * each block, and one shuffle brings every block's pieces to the partition that owns the block, where they are put
 * in place. Only primitive arrays travel, a piece per block and chunk, never an object per row.
 */
public final class NumberedBlocks {
    /** Rows read from a stored part at a time. */
    private static final int CHUNK_ROWS = 4096;

    private NumberedBlocks() {
    }

    /**
     * The blocks of {@code plan}, each in the partition the plan gives it, from {@code chunks} of numbered rows
     * (a chunk holding an error ends its partition's rows).
     *
     * @param misnumbered the error for numbers that do not number the rows 0 … n−1 once each
     */
    public static JavaRDD<RowBlock> of(JavaRDD<NumberedRows> chunks, Misnumbered misnumbered, BlockPlan plan, int d, int k) {
        return chunks.flatMapToPair(chunk -> new Pieces(chunk, misnumbered, plan, d, k))
                .repartitionAndSortWithinPartitions(new BlockPartitioner(plan))
                .mapPartitions(sorted -> new Assembler(sorted, misnumbered, plan, d, k));
    }

    /** An input's stored rows, a task per stored part, in chunks of {@value #CHUNK_ROWS} rows. */
    public static JavaRDD<NumberedRows> stored(JavaSparkContext sc, NumberedRowsInput input) {
        List<Integer> parts = IntStream.range(0, input.storedParts()).boxed().toList();
        return sc.parallelize(parts, Math.max(1, parts.size())).flatMap(part -> {
            try {
                return input.readStored(part, CHUNK_ROWS);
            } catch (InputException e) {
                return List.of(new NumberedRows(e.error())).iterator();
            }
        });
    }

    /** The error for row numbers that do not number the rows 0 … n−1 once each; {@code problem} says how. */
    @FunctionalInterface
    public interface Misnumbered extends java.io.Serializable {
        InputError error(String problem);
    }

    /**
     * A chunk's rows as (block, the chunk's rows that fall in it). An error, or a number outside 0 … n−1, goes to
     * the first block of every partition, so that a bad value anywhere is reported before the rows it left unread
     * are missed.
     */
    private static final class Pieces implements Iterator<Tuple2<Long, NumberedRows>> {
        private final Misnumbered misnumbered;
        private final BlockPlan plan;
        private final int d;
        private final int k;
        private final List<Tuple2<Long, NumberedRows>> pending = new ArrayList<>();
        private int at;

        Pieces(NumberedRows chunk, Misnumbered misnumbered, BlockPlan plan, int d, int k) {
            this.misnumbered = misnumbered;
            this.plan = plan;
            this.d = d;
            this.k = k;
            cut(chunk);
        }

        @Override
        public boolean hasNext() {
            return at < pending.size();
        }

        @Override
        public Tuple2<Long, NumberedRows> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.get(at++);
        }

        private void cut(NumberedRows chunk) {
            for (int i = 0; i < chunk.count && chunk.error == null; i++) {
                if (chunk.numbers[i] < 0 || chunk.numbers[i] >= plan.rows()) {
                    chunk = new NumberedRows(misnumbered.error("row number " + chunk.numbers[i]
                            + " is outside 0 … " + (plan.rows() - 1) + " (n = " + plan.rows() + ")"));
                }
            }
            if (chunk.error != null) {
                for (int p = 0; p < plan.partitions(); p++) {
                    pending.add(new Tuple2<>(Math.min(plan.firstBlock(p), plan.blocks() - 1), chunk));
                }
                return;
            }
            // Sort the chunk's rows by block, keeping each row's index: (block << 32) | index.
            long[] byBlock = new long[chunk.count];
            for (int i = 0; i < chunk.count; i++) {
                byBlock[i] = plan.blockOf(chunk.numbers[i]) << 32 | i;
            }
            Arrays.sort(byBlock);
            for (int start = 0; start < byBlock.length; ) {
                long block = byBlock[start] >>> 32;
                int end = start;
                while (end < byBlock.length && byBlock[end] >>> 32 == block) {
                    end++;
                }
                pending.add(new Tuple2<>(block, piece(chunk, byBlock, start, end)));
                start = end;
            }
        }

        private NumberedRows piece(NumberedRows chunk, long[] byBlock, int start, int end) {
            int count = end - start;
            long[] numbers = new long[count];
            double[] x = new double[count * d];
            double[] y = new double[count * k];
            for (int j = 0; j < count; j++) {
                int i = (int) byBlock[start + j];
                numbers[j] = chunk.numbers[i];
                System.arraycopy(chunk.x, i * d, x, j * d, d);
                System.arraycopy(chunk.y, i * k, y, j * k, k);
            }
            return new NumberedRows(count, numbers, x, y);
        }
    }

    /** Sends each block's pieces to the partition that owns the block. */
    private static final class BlockPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final BlockPlan plan;

        BlockPartitioner(BlockPlan plan) {
            this.plan = plan;
        }

        @Override
        public int numPartitions() {
            return plan.partitions();
        }

        @Override
        public int getPartition(Object block) {
            return plan.partitionOf((Long) block);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BlockPartitioner p && p.plan.rows() == plan.rows()
                    && p.plan.blockRows() == plan.blockRows() && p.plan.partitions() == plan.partitions();
        }

        @Override
        public int hashCode() {
            return Long.hashCode(plan.rows()) * 31 + plan.blockRows() * 17 + plan.partitions();
        }
    }

    /** Puts one partition's pieces, sorted by block, in place: every block of the partition, each row once. */
    private static final class Assembler implements Iterator<RowBlock> {
        private final Iterator<Tuple2<Long, NumberedRows>> sorted;
        private final Misnumbered misnumbered;
        private final BlockPlan plan;
        private final int d;
        private final int k;
        private final long endBlock;
        private long block;
        private Tuple2<Long, NumberedRows> pending;

        Assembler(Iterator<Tuple2<Long, NumberedRows>> sorted, Misnumbered misnumbered, BlockPlan plan, int d,
                  int k) {
            this.sorted = sorted;
            this.misnumbered = misnumbered;
            this.plan = plan;
            this.d = d;
            this.k = k;
            int partition = TaskContext.get().partitionId();
            this.block = plan.firstBlock(partition);
            this.endBlock = plan.firstBlock(partition + 1);
            this.pending = sorted.hasNext() ? sorted.next() : null;
        }

        @Override
        public boolean hasNext() {
            return block < endBlock;
        }

        @Override
        public RowBlock next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long first = plan.firstRow(block);
            int rows = plan.rowsIn(block);
            double[] x = new double[rows * d];
            double[] y = new double[rows * k];
            boolean[] seen = new boolean[rows];
            InputError error = null;
            long twice = -1;
            while (pending != null && pending._1() == block) {
                NumberedRows piece = pending._2();
                if (piece.error != null) {
                    error = error == null || piece.error.compareTo(error) < 0 ? piece.error : error;
                }
                for (int j = 0; j < piece.count; j++) {
                    int r = (int) (piece.numbers[j] - first);
                    if (seen[r] && twice < 0) {
                        twice = piece.numbers[j];
                    }
                    seen[r] = true;
                    System.arraycopy(piece.x, j * d, x, r * d, d);
                    System.arraycopy(piece.y, j * k, y, r * k, k);
                }
                pending = sorted.hasNext() ? sorted.next() : null;
            }
            if (error != null) {
                throw new InputException(error);
            }
            if (twice >= 0) {
                throw new InputException(misnumbered.error("row " + twice + " appears more than once"));
            }
            for (int r = 0; r < rows; r++) {
                if (!seen[r]) {
                    throw new InputException(misnumbered.error("row " + (first + r) + " is missing"));
                }
            }
            block++;
            return new RowBlock(first, rows, d, k, x, y);
        }
    }
}
