package org.relugrad.job;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.data.InputError;
import org.relugrad.data.HadoopFiles;
import org.relugrad.data.InputException;
import org.relugrad.data.TextFile;
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
            List<TextFile> files = HadoopFiles.listText(name, sc.hadoopConfiguration());
            JobConf jobConf = new JobConf(sc.hadoopConfiguration());
            FileInputFormat.setInputPaths(jobConf, files.stream().map(f -> new Path(f.path())).toArray(Path[]::new));
            @SuppressWarnings("unchecked")
            JavaHadoopRDD<LongWritable, Text> raw = (JavaHadoopRDD<LongWritable, Text>)
                    sc.hadoopRDD(jobConf, TextInputFormat.class, LongWritable.class, Text.class, minSplits);
            List<SplitCount> counts = raw.mapPartitionsWithInputSplit(SplitCount::of, true).collect();

            Map<String, Integer> order = new HashMap<>();
            for (int i = 0; i < files.size(); i++) {
                order.put(files.get(i).path(), i);
            }
            Integer[] byPosition = new Integer[counts.size()];
            for (int i = 0; i < byPosition.length; i++) {
                byPosition[i] = i;
            }
            Arrays.sort(byPosition, Comparator.<Integer>comparingInt(i -> order.getOrDefault(counts.get(i).path, -1))
                    .thenComparingLong(i -> counts.get(i).start));
            this.firstRow = new long[counts.size()];
            this.fileName = new String[counts.size()];
            this.firstLine = new long[counts.size()];
            long row = 0;
            String previousPath = null;
            long line = 1;
            for (int i : byPosition) {
                SplitCount split = counts.get(i);
                Integer file = order.get(split.path);
                if (file == null) {
                    throw new IllegalStateException("a split of " + split.path + ", which is not among " + files);
                }
                if (split.error != null) {
                    throw new InputException(files.get(file).name(), 0, "cannot be read: " + split.error);
                }
                line = split.path.equals(previousPath) ? line : 1;
                firstRow[i] = row;
                fileName[i] = files.get(file).name();
                firstLine[i] = line;
                row += split.lines;
                line += split.lines;
                previousPath = split.path;
            }
            this.rows = row;
            this.lines = raw.map(pair -> pair._2().toString());
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

    /** What counting one split found: its file, where in the file it starts, its lines, or why it failed. */
    static final class SplitCount implements Serializable {
        private static final long serialVersionUID = 1L;
        final String path;
        final long start;
        final long lines;
        final String error;

        private SplitCount(String path, long start, long lines, String error) {
            this.path = path;
            this.start = start;
            this.lines = lines;
            this.error = error;
        }

        /** Counts a split's lines; a file that breaks off (a truncated .gz) is an error value, not a failed task. */
        static Iterator<SplitCount> of(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
            FileSplit file = (FileSplit) split;
            long n = 0;
            String error = null;
            try {
                for (; lines.hasNext(); lines.next()) {
                    n++;
                }
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                error = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            }
            return List.of(new SplitCount(file.getPath().toString(), file.getStart(), n, error)).iterator();
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
