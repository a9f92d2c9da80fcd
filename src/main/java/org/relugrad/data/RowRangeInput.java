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

    /**
     * As {@link #read}, but may write the rows into {@code previous}'s arrays (null: none) when they are long
     * enough, for a reader that is done with {@code previous}: streaming many blocks through one task then
     * allocates nothing per block. The default reads into new arrays.
     */
    default RowBlock readReusing(long firstRow, int count, RowBlock previous) {
        return read(firstRow, count);
    }
}
