package org.relugrad.data;

import org.relugrad.math.RowBlock;

/** An input whose rows can be read by global row range, so each task reads just its blocks. */
public interface RowRangeInput extends GradientInput {

    /** n, the number of rows; known once {@link #open} has returned. */
    long rows();

    /**
     * Inside a task: rows {@code [firstRow, firstRow + count)} of X and Y, as wide as W is tall and wide.
     *
     * @throws InputException for bad data in that range
     */
    RowBlock read(long firstRow, int count);
}
