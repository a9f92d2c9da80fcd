package org.relugrad.job;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.data.InputError;
import org.relugrad.data.InputException;
import org.relugrad.data.LineIndex;
import org.relugrad.data.TextRowsInput;
import org.relugrad.math.RowBlock;
import scala.Tuple2;

/**
 * Row blocks from two text inputs, X and Y. Their splits do not line up, so each line is keyed by its global row
 * (found by counting the lines of the splits before it) and one shuffle brings each block's X and Y lines to the
 * partition that owns the block, sorted by row. No row passes through the driver.
 */
final class TextBlocks {
    private final Side x;
    private final Side y;
    private final long rows;

    /**
     * Lists and counts the lines of both inputs.
     *
     * @throws InputException when an input cannot be read, has no lines, or the two differ in length
     */
    TextBlocks(JavaSparkContext sc, TextRowsInput input, int minSplits) {
        this.x = new Side(sc, input.xFile(), minSplits);
        this.y = new Side(sc, input.yFile(), minSplits);
        if (x.rows == 0) {
            throw new InputException(input.xFile(), 0, "has no lines");
        }
        if (y.rows == 0) {
            throw new InputException(input.yFile(), 0, "has no lines");
        }
        if (x.rows != y.rows) {
            throw new InputException(input.xFile(), 0, "has " + x.rows + " lines and " + input.yFile() + " has "
                    + y.rows + "; the rows of X and Y must pair up line by line (is there a blank last line?)");
        }
        this.rows = x.rows;
    }

    long rows() {
        return rows;
    }

    /** The blocks of {@code plan}, each in the partition the plan gives it. */
    JavaRDD<RowBlock> blocks(TextRowsInput input, BlockPlan plan, int d, int k) {
        JavaPairRDD<Long, ParsedRow> keyed = x.parse(input, false, d).union(y.parse(input, true, k));
        return keyed.repartitionAndSortWithinPartitions(new BlockPartitioner(plan))
                .mapPartitions(sorted -> new BlockAssembler(sorted, plan, input.xFile(), input.yFile(), d, k));
    }

    /**
     * One input's lines, with where each split starts: its first global row, and the file and line number that
     * row is at (for errors). Rows follow the files in name order and, within a file, the byte order of its
     * splits, whatever order the splits come in.
     */
    private static final class Side {
        private final JavaRDD<String> lines;
        private final long[] firstRow;
        private final String[] fileName;
        private final long[] firstLine;
        private final long rows;

        Side(JavaSparkContext sc, String name, int minSplits) {
            LineCounts counted = new LineCounts(sc, name, minSplits);
            int splits = counted.partitionOf.length;
            this.firstRow = new long[splits];
            this.fileName = new String[splits];
            this.firstLine = new long[splits];
            for (int i = 0; i < splits; i++) {
                LineIndex.Split split = counted.index.splits().get(i);
                int partition = counted.partitionOf[i];
                firstRow[partition] = split.firstRow();
                fileName[partition] = split.file();
                firstLine[partition] = split.firstLine();
            }
            this.rows = counted.index.rows();
            this.lines = counted.lines;
        }

        /**
         * Each line keyed by 2·row (X) or 2·row + 1 (Y), so a sort puts a row's X line just before its Y line. A
         * bad line becomes an error record and ends its split: the error travels to the assembler as data.
         */
        JavaPairRDD<Long, ParsedRow> parse(TextRowsInput input, boolean ofY, int width) {
            long[] rowOf = firstRow;
            String[] fileOf = fileName;
            long[] lineOf = firstLine;
            return lines.mapPartitionsWithIndex((split, it) -> new LineParser(it, input, ofY, width,
                    rowOf[split], fileOf[split], lineOf[split]), true).mapToPair(t -> t);
        }
    }

    /** Parses the lines of one split as they are read; after a bad line it yields the error and stops. */
    static final class LineParser implements Iterator<Tuple2<Long, ParsedRow>> {
        private final Iterator<String> lines;
        private final TextRowsInput input;
        private final boolean ofY;
        private final int width;
        private final String file;
        private long row;
        private long lineNumber;
        private boolean failed;

        LineParser(Iterator<String> lines, TextRowsInput input, boolean ofY, int width, long firstRow, String file,
                   long firstLine) {
            this.lines = lines;
            this.input = input;
            this.ofY = ofY;
            this.width = width;
            this.row = firstRow;
            this.file = file;
            this.lineNumber = firstLine;
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
                input.parse(line, ofY, file, lineNumber, width, values, 0);
            } catch (InputException e) {
                failed = true;
                return new Tuple2<>(key, new ParsedRow(null, e.error()));
            }
            row++;
            lineNumber++;
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

    /**
     * Turns the sorted rows of one partition (keyed 2·row for X, 2·row + 1 for Y) back into row blocks, one block
     * in memory at a time.
     */
    static final class BlockAssembler implements Iterator<RowBlock> {
        private final Iterator<Tuple2<Long, ParsedRow>> sorted;
        private final BlockPlan plan;
        private final String xName;
        private final String yName;
        private final int d;
        private final int k;
        private Tuple2<Long, ParsedRow> pending;

        /** @param xName the name of X's input, and {@code yName} of Y's, for errors */
        BlockAssembler(Iterator<Tuple2<Long, ParsedRow>> sorted, BlockPlan plan, String xName, String yName, int d,
                       int k) {
            this.sorted = sorted;
            this.plan = plan;
            this.xName = xName;
            this.yName = yName;
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
            String file = (key & 1) == 0 ? xName : yName;
            return new InputException(file, (key >>> 1) + 1, "line missing after an earlier error");
        }
    }
}
