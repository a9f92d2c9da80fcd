package org.relugrad;

import org.relugrad.internal.engine.BlockPlan;

/**
 * How the rows are cut: the partitions that compute the blocks (0: Spark's default parallelism) and the rows per
 * block, B (0: chosen from d and k alone, as {@code relugrad grad} chooses it). B is part of the results' bits; the
 * partition count is not.
 *
 * @throws IllegalArgumentException for a count out of range, in the problem's words
 */
public record Blocking(int partitions, int blockRows) {
    /** A block size of 0 asks for one chosen from d and k. */
    public static final int CHOSEN_BLOCK_ROWS = 0;
    /** Spark's default parallelism, and B chosen from d and k. */
    public static final Blocking DEFAULT = new Blocking(0, CHOSEN_BLOCK_ROWS);

    public Blocking {
        BlockPlan.requirePartitions(partitions, true);
        BlockPlan.requireBlockRows(blockRows, true);
    }
}
