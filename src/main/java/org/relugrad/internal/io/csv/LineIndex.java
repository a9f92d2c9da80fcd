package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.ParallelWork;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Where each line of a text input is: the input's splits in row order, each with its first global row. Built by
 * counting the lines of every split once ({@link #count}); then any task can read the lines from any row on,
 * opening only the files it needs and skipping at most one split's bytes.
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
     * @param compressed whether the file is compressed (then it is one split, read from its start)
     * @param firstRow the global row of its first line
     * @param firstLine the 1-based line number of its first line within the file
     * @param lines how many lines it holds
     * @param firstBlankLine the line number of its first line of nothing but spaces, or 0 when it has none
     */
    public record Split(String path, String file, long start, long length, boolean compressed, long firstRow,
                        long firstLine, long lines, long firstBlankLine) implements Serializable {
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

    /**
     * Counts the lines of text inputs (each a file or a folder of files, see {@link HadoopFiles#listText}), every
     * split in a task of {@code work}, all inputs at once. Rows follow the files in name order, and the lines
     * within each file, as Hadoop's text reader splits them ("\n", "\r\n" or "\r").
     *
     * @throws InputException when an input does not exist, holds no data, or cannot be read to its end
     */
    public static List<LineIndex> count(List<String> names, Configuration conf, ParallelWork work) {
        return LineCounting.count(names, conf, work, LineCounting.SPLIT_BYTES);
    }

    /**
     * The first line of nothing but spaces, as the error reading it would be; null when there is none. Where X and Y
     * differ in length, it is likely the reason.
     */
    public InputError firstBlankLine() {
        for (Split s : splits) {
            if (s.firstBlankLine() > 0) {
                return new InputError(s.file(), s.firstBlankLine(), "empty line, expected numbers");
            }
        }
        return null;
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

    /**
     * The lines of the input from one row on, in order, file after file; each line's bytes are in {@link #bytes}
     * from {@link #start} to {@link #end} until the next call of {@link #next}.
     */
    public final class Lines implements AutoCloseable {
        private final Configuration conf;
        private int split = -1;
        private ByteLines lines;
        private long lineNumber;

        private Lines(long firstRow, Configuration conf) {
            this.conf = conf;
            int s = 0;
            while (s < splits.size() && splits.get(s).firstRow() + splits.get(s).lines() <= firstRow) {
                s++;
            }
            if (s < splits.size()) {
                open(s);
                try {
                    if (splits.get(s).start() > 0 && !splits.get(s).compressed()) {
                        lines.next();
                    }
                } catch (IOException e) {
                    throw unreadable(e);
                }
                for (long skip = firstRow - splits.get(s).firstRow(); skip > 0; skip--) {
                    next();
                }
            }
        }

        /** Reads the next line; its file and line number are then {@link #file()} and {@link #lineNumber()}. */
        public void next() {
            try {
                while (lines == null || !lines.next()) {
                    int following = split + 1;
                    while (split >= 0 && following < splits.size()
                            && splits.get(following).path().equals(splits.get(split).path())) {
                        following++;
                    }
                    if (split < 0 || following >= splits.size()) {
                        throw new InputException(name, 0, "ended before row " + (rows + 1));
                    }
                    open(following);
                }
            } catch (IOException e) {
                throw unreadable(e);
            }
            lineNumber++;
        }

        /** The buffer holding the line last read. */
        public byte[] bytes() {
            return lines.bytes();
        }

        /** Where the line last read starts in {@link #bytes}. */
        public int start() {
            return lines.start();
        }

        /** Where it ends, its line end not included. */
        public int end() {
            return lines.end();
        }

        /** The file of the line last read. */
        public String file() {
            return split >= 0 ? splits.get(split).file() : name;
        }

        /** The 1-based line number, within its file, of the line last read. */
        public long lineNumber() {
            return lineNumber;
        }

        private InputException unreadable(IOException e) {
            return new InputException(file(), lineNumber + 1, "cannot be read: " + e.getMessage());
        }

        /** Opens split {@code s}'s file at the split's first byte. */
        private void open(int s) {
            close();
            Split target = splits.get(s);
            split = s;
            lineNumber = target.firstLine() - 1;
            try {
                lines = LineCounting.open(target.path(), target.start(), target.compressed(), conf);
            } catch (IOException e) {
                throw new InputException(target.file(), 0, "cannot be read: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            if (lines != null) {
                try {
                    lines.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                lines = null;
            }
        }
    }
}
