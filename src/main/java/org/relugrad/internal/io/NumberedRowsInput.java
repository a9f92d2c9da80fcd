package org.relugrad.internal.io;

import java.util.Iterator;

/**
 * A row-range input whose rows may be stored in another order than they are numbered (a Parquet table with a row
 * column that is not in file order). Then, after {@link #index}, {@link #inStoredOrder} is false and the job reads
 * the stored parts in their own order, each row with its number, and brings every row to its block with one
 * shuffle; else it reads row ranges as from any {@link RowRangeInput}.
 */
public interface NumberedRowsInput extends RowRangeInput {

    /** Whether row r is the r-th row stored, so that {@link #reader} can read any range; known after index. */
    boolean inStoredOrder();

    /** How many parts the stored rows are read in, each by one task (files, say). */
    int storedParts();

    /**
     * Inside a task: part {@code part}'s rows in stored order, at most {@code chunkRows} at a time, each with its
     * number. A bad value ends the part with a chunk that holds only the error.
     */
    Iterator<NumberedRows> readStored(int part, int chunkRows);

    /** The error for row numbers that do not number the rows 0 … n−1 once each; {@code problem} says how. */
    InputError misnumbered(String problem);
}
