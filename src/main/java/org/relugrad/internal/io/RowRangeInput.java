package org.relugrad.internal.io;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Where X, Y and W come from, in the one shape the job knows: W is small and read on the driver; X and Y are read
 * by global row range, so each task reads just its blocks, X and Y side by side, and a new format is one class of
 * this package. On the driver the job calls {@link #open}, then {@link #index}, then {@link #rows}; inside a task it reads
 * its range of rows through {@link #reader}, block after block.
 */
public interface RowRangeInput extends Serializable {

    /**
     * On the driver: checks that the input is there and returns W (d × k).
     *
     * @throws InputException for anything the user must fix
     */
    Matrix open(Configuration conf);

    /** A short description for summaries, e.g. the file names or the generator's parameters. */
    String describe();

    /**
     * On the driver, after {@link #open}: finds whatever tasks need to read any row range (n, where each row is),
     * using {@code work} for what must read the data itself. The default has nothing to find.
     *
     * @throws InputException for input the user must fix
     */
    default void index(ParallelWork work) {
    }

    /**
     * Whether X and Y are float32 values, which the blocks keep as float32 (see {@link RowBlock#float32}); known once
     * {@link #index} has returned. The default: float64.
     */
    default boolean float32() {
        return false;
    }

    /** n, the number of rows; known once {@link #index} has returned. */
    long rows();

    /**
     * Inside a task: rows {@code [firstRow, firstRow + count)} of X and Y, as wide as W is tall and wide.
     *
     * @throws InputException for bad data in that range
     */
    RowBlock read(long firstRow, int count);

    /**
     * As {@link #read}, but may write the rows into {@code previous}'s arrays (null: none) when they are long
     * enough, for a reader that is done with {@code previous}: streaming many blocks through one task then
     * allocates nothing per block. The default reads into new arrays.
     */
    default RowBlock readReusing(long firstRow, int count, RowBlock previous) {
        return read(firstRow, count);
    }

    /**
     * Inside a task: a reader of rows {@code [from, to)} in order, one block at a time, for a format that reads a
     * range best from start to end (a text file's lines, a Parquet row group). The default reads each block by
     * {@link #readReusing}.
     */
    default RangeReader reader(long from, long to) {
        return new RangeReader() {
            private long next = from;

            @Override
            public RowBlock next(int count, RowBlock previous) {
                RowBlock block = previous == null ? read(next, count) : readReusing(next, count, previous);
                next += count;
                return block;
            }
        };
    }

    /** Rows of a range in order, block after block. */
    interface RangeReader extends AutoCloseable {

        /**
         * The next {@code count} rows, written into {@code previous}'s arrays when it is not null and they are long
         * enough (the caller is done with it), else into new ones.
         *
         * @throws InputException for bad data in those rows
         */
        RowBlock next(int count, RowBlock previous);

        /** Releases open files; may be called more than once. The default holds none. */
        @Override
        default void close() {
        }
    }
}
