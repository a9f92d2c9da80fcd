package org.relugrad.internal.io;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * A matrix stored row by row, in input order and without a row index (a dX or dY computed elsewhere), that tasks
 * read from any row on: each reads just the rows of its own blocks.
 */
public interface StoredRows extends Serializable {

    /** The file as the user named it, for messages. */
    String name();

    long rows();

    int cols();

    /** Inside a task: a cursor at row {@code firstRow}. */
    Cursor open(long firstRow, Configuration conf);

    /** Reads consecutive rows. */
    interface Cursor extends AutoCloseable {
        /**
         * Reads the next {@code count} rows into {@code dest[0 .. count·cols)}, row-major.
         *
         * @throws InputException naming the file and line or row of bad data
         */
        void read(int count, double[] dest);

        @Override
        void close();
    }
}
