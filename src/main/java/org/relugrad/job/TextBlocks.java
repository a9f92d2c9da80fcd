package org.relugrad.job;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.data.InputError;
import org.relugrad.data.InputException;
import org.relugrad.data.TextRowsInput;
import org.relugrad.math.RowBlock;
import scala.Tuple2;

/**
 * Row blocks from two line files, X and Y. Their splits do not line up, so each line is keyed by its global row
 * (found by counting the lines of the splits before it) and one shuffle brings each block's X and Y lines to the
 * partition that owns the block, sorted by row. No row passes through the driver.
 */
final class TextBlocks {
    private final JavaRDD<String> xLines;
    private final JavaRDD<String> yLines;
    private final long[] xOffsets;
    private final long[] yOffsets;
    private final long rows;

    /**
     * Counts the lines of both files.
     *
     * @throws InputException when a file has no lines or the two differ in length
     */
    TextBlocks(JavaSparkContext sc, TextRowsInput input, int minSplits) {
        this.xLines = sc.textFile(input.xFile(), minSplits);
        this.yLines = sc.textFile(input.yFile(), minSplits);
        this.xOffsets = offsets(xLines);
        this.yOffsets = offsets(yLines);
        long xRows = xOffsets[xOffsets.length - 1];
        long yRows = yOffsets[yOffsets.length - 1];
        if (xRows == 0) {
            throw new InputException(input.xFile(), 0, "the file has no lines");
        }
        if (yRows == 0) {
            throw new InputException(input.yFile(), 0, "the file has no lines");
        }
        if (xRows != yRows) {
            throw new InputException(input.yFile(), 0, "has " + yRows + " rows but " + input.xFile() + " has "
                    + xRows + "; the rows of X and Y must pair up line by line");
        }
        this.rows = xRows;
    }

    long rows() {
        return rows;
    }

    /** The blocks of {@code plan}, each in the partition the plan gives it. */
    JavaRDD<RowBlock> blocks(TextRowsInput input, BlockPlan plan, int d, int k) {
        JavaPairRDD<Long, ParsedRow> keyed = parse(xLines, xOffsets, input, false, d)
                .union(parse(yLines, yOffsets, input, true, k));
        return keyed.repartitionAndSortWithinPartitions(new BlockPartitioner(plan))
                .mapPartitions(sorted -> new BlockAssembler(sorted, plan, input, d, k));
    }

    /** Prefix sums of the line counts of the splits: offsets[i] is the row of split i's first line. */
    private static long[] offsets(JavaRDD<String> lines) {
        List<Long> counts = lines.mapPartitions(it -> {
            long n = 0;
            for (; it.hasNext(); it.next()) {
                n++;
            }
            return List.of(n).iterator();
        }).collect();
        long[] offsets = new long[counts.size() + 1];
        for (int i = 0; i < counts.size(); i++) {
            offsets[i + 1] = offsets[i] + counts.get(i);
        }
        return offsets;
    }

    /**
     * Each line keyed by 2·row (X) or 2·row + 1 (Y), so a sort puts a row's X line just before its Y line. A bad
     * line becomes an error record and ends its split: the error travels to the assembler as data.
     */
    private static JavaPairRDD<Long, ParsedRow> parse(JavaRDD<String> lines, long[] offsets, TextRowsInput input,
                                                      boolean ofY, int width) {
        return lines.mapPartitionsWithIndex(
                (split, it) -> new LineParser(it, offsets[split], input, ofY, width), true).mapToPair(t -> t);
    }

    /** Parses the lines of one split as they are read; after a bad line it yields the error and stops. */
    static final class LineParser implements Iterator<Tuple2<Long, ParsedRow>> {
        private final Iterator<String> lines;
        private final TextRowsInput input;
        private final boolean ofY;
        private final int width;
        private long row;
        private boolean failed;

        LineParser(Iterator<String> lines, long firstRow, TextRowsInput input, boolean ofY, int width) {
            this.lines = lines;
            this.row = firstRow;
            this.input = input;
            this.ofY = ofY;
            this.width = width;
        }

        @Override
        public boolean hasNext() {
            return !failed && lines.hasNext();
        }

        @Override
        public Tuple2<Long, ParsedRow> next() {
            String line = lines.next();
            long key = 2 * row + (ofY ? 1 : 0);
            double[] values = new double[width];
            try {
                input.parse(line, ofY, row, width, values, 0);
            } catch (InputException e) {
                failed = true;
                return new Tuple2<>(key, new ParsedRow(null, e.error()));
            }
            row++;
            return new Tuple2<>(key, new ParsedRow(values, null));
        }
    }

    /** One parsed line: its values, or why it could not be parsed. */
    static final class ParsedRow implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] values;
        final InputError error;

        ParsedRow(double[] values, InputError error) {
            this.values = values;
            this.error = error;
        }
    }

    /** Sends the lines of each block to the partition that owns the block. */
    static final class BlockPartitioner extends Partitioner {
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
        public int getPartition(Object key) {
            return plan.partitionOf(plan.blockOf((Long) key >>> 1));
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

    /** Turns the sorted lines of one partition back into row blocks, one block in memory at a time. */
    static final class BlockAssembler implements Iterator<RowBlock> {
        private final Iterator<Tuple2<Long, ParsedRow>> sorted;
        private final BlockPlan plan;
        private final TextRowsInput input;
        private final int d;
        private final int k;
        private Tuple2<Long, ParsedRow> pending;

        BlockAssembler(Iterator<Tuple2<Long, ParsedRow>> sorted, BlockPlan plan, TextRowsInput input, int d, int k) {
            this.sorted = sorted;
            this.plan = plan;
            this.input = input;
            this.d = d;
            this.k = k;
            this.pending = sorted.hasNext() ? sorted.next() : null;
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public RowBlock next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            long block = plan.blockOf(pending._1() >>> 1);
            long first = plan.firstRow(block);
            int rows = plan.rowsIn(block);
            double[] x = new double[rows * d];
            double[] y = new double[rows * k];
            long expected = 2 * first;
            while (pending != null && plan.blockOf(pending._1() >>> 1) == block) {
                long key = pending._1();
                ParsedRow parsed = pending._2();
                if (parsed.error != null) {
                    throw new InputException(parsed.error);
                }
                if (key != expected) {
                    throw missing(expected);
                }
                int r = (int) ((key >>> 1) - first);
                if ((key & 1) == 0) {
                    System.arraycopy(parsed.values, 0, x, r * d, d);
                } else {
                    System.arraycopy(parsed.values, 0, y, r * k, k);
                }
                expected++;
                pending = sorted.hasNext() ? sorted.next() : null;
            }
            if (expected != 2 * (first + rows)) {
                throw missing(expected);
            }
            return new RowBlock(first, rows, d, k, x, y);
        }

        /**
         * A gap: lines after a bad line are not parsed, so a gap only follows an error on an earlier line, which
         * sorts first and is the one reported.
         */
        private InputException missing(long key) {
            String file = (key & 1) == 0 ? input.xFile() : input.yFile();
            return new InputException(file, (key >>> 1) + 1, "line missing after an earlier error");
        }
    }
}
