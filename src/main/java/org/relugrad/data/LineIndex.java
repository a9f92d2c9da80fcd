package org.relugrad.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.LineRecordReader;

/**
 * Where each line of a text input is: the input's splits in row order, each with its first global row. Built by
 * counting the lines of every split once; then any task can read the lines from any row on, opening only the splits
 * it needs.
 */
public final class LineIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One split of one file.
     *
     * @param path the file's full path
     * @param file the file as the user named it, for errors
     * @param start the split's first byte in the file
     * @param length its length in bytes
     * @param firstRow the global row of its first line
     * @param firstLine the 1-based line number of its first line within the file
     * @param lines how many lines it holds
     */
    public record Split(String path, String file, long start, long length, long firstRow, long firstLine, long lines)
            implements Serializable {
    }

    private final String name;
    private final List<Split> splits;
    private final long rows;

    /** @param splits in row order, each starting where the one before ends */
    public LineIndex(String name, List<Split> splits) {
        this.name = name;
        this.splits = List.copyOf(splits);
        long row = 0;
        for (Split s : this.splits) {
            if (s.firstRow() != row) {
                throw new IllegalArgumentException("split of " + s.file() + " at row " + s.firstRow() + ", expected " + row);
            }
            row += s.lines();
        }
        this.rows = row;
    }

    /** The input's name as the user gave it. */
    public String name() {
        return name;
    }

    public long rows() {
        return rows;
    }

    /** The splits in row order. */
    public List<Split> splits() {
        return splits;
    }

    /** Inside a task: a reader positioned at global row {@code firstRow}. */
    public Lines open(long firstRow, Configuration conf) {
        if (firstRow < 0 || firstRow > rows) {
            throw new IllegalArgumentException("row " + firstRow + " of " + rows);
        }
        return new Lines(firstRow, conf);
    }

    /** The lines of the input from one row on, in order, split after split. */
    public final class Lines implements AutoCloseable {
        private final JobConf conf;
        private int split = -1;
        private LineRecordReader reader;
        private final LongWritable key = new LongWritable();
        private final Text value = new Text();
        private long lineNumber;

        private Lines(long firstRow, Configuration conf) {
            this.conf = new JobConf(conf);
            int s = 0;
            while (s < splits.size() && splits.get(s).firstRow() + splits.get(s).lines() <= firstRow) {
                s++;
            }
            if (s < splits.size()) {
                openSplit(s);
                for (long skip = firstRow - splits.get(s).firstRow(); skip > 0; skip--) {
                    next();
                }
            }
        }

        /** The next line's text, its file and line number then given by {@link #file()} and {@link #lineNumber()}. */
        public String next() {
            try {
                while (reader == null || !reader.next(key, value)) {
                    if (split + 1 >= splits.size()) {
                        throw new InputException(name, 0, "ended before row " + (rows + 1));
                    }
                    openSplit(split + 1);
                }
            } catch (IOException e) {
                throw new InputException(file(), lineNumber + 1, "cannot be read: " + e.getMessage());
            }
            lineNumber++;
            return value.toString();
        }

        /** The file of the line last returned. */
        public String file() {
            return split >= 0 ? splits.get(split).file() : name;
        }

        /** The 1-based line number, within its file, of the line last returned. */
        public long lineNumber() {
            return lineNumber;
        }

        private void openSplit(int s) {
            close();
            Split target = splits.get(s);
            split = s;
            lineNumber = target.firstLine() - 1;
            try {
                reader = new LineRecordReader(conf, new FileSplit(new Path(target.path()), target.start(),
                        target.length(), (String[]) null));
            } catch (IOException e) {
                throw new InputException(target.file(), 0, "cannot be read: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                reader = null;
            }
        }
    }
}
