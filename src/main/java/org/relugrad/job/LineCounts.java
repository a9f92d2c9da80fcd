package org.relugrad.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.data.HadoopFiles;
import org.relugrad.data.InputException;
import org.relugrad.data.LineIndex;
import org.relugrad.data.TextFile;
import scala.Tuple2;

/**
 * The lines of a text input (a file or a folder of files) as an RDD with one partition a split, and the
 * {@link LineIndex} found by counting each split's lines in one Spark job. Rows follow the files in name order and,
 * within a file, the byte order of its splits, whatever order the splits come in.
 */
final class LineCounts {
    /** The raw lines, one RDD partition a split. */
    final JavaRDD<String> lines;
    final LineIndex index;
    /** Split i of {@link #index} is RDD partition {@code partitionOf[i]} of {@link #lines}. */
    final int[] partitionOf;

    /** @throws InputException when a file cannot be read to its end */
    LineCounts(JavaSparkContext sc, String name, int minSplits) {
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
        Arrays.setAll(byPosition, i -> i);
        Arrays.sort(byPosition, Comparator.<Integer>comparingInt(i -> order.getOrDefault(counts.get(i).path, -1))
                .thenComparingLong(i -> counts.get(i).start));
        List<LineIndex.Split> splits = new ArrayList<>();
        this.partitionOf = new int[counts.size()];
        long row = 0;
        long line = 1;
        String previousPath = null;
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
            partitionOf[splits.size()] = i;
            splits.add(new LineIndex.Split(split.path, files.get(file).name(), split.start, split.length, row, line,
                    split.lines));
            row += split.lines;
            line += split.lines;
            previousPath = split.path;
        }
        this.index = new LineIndex(name, splits);
        this.lines = raw.map(pair -> pair._2().toString());
    }

    /** What counting one split found: its file, its byte range, its lines, or why it failed. */
    static final class SplitCount implements Serializable {
        private static final long serialVersionUID = 1L;
        final String path;
        final long start;
        final long length;
        final long lines;
        final String error;

        private SplitCount(String path, long start, long length, long lines, String error) {
            this.path = path;
            this.start = start;
            this.length = length;
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
            return List.of(new SplitCount(file.getPath().toString(), file.getStart(), file.getLength(), n, error))
                    .iterator();
        }
    }
}
