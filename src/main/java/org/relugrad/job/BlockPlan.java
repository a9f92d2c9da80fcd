package org.relugrad.job;

import java.io.Serializable;

/**
 * How n rows fall into blocks and blocks into partitions. Block b is always rows [b·B, (b+1)·B) (the last one
 * shorter), whatever the partitioning: that is what keeps every block's partial, and so the exact sum of them all,
 * the same bits for any partition count. Partition p holds the consecutive blocks [⌊p·nb/P⌋, ⌊(p+1)·nb/P⌋).
 */
final class BlockPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long rows;
    private final int blockRows;
    private final int partitions;
    private final long blocks;

    BlockPlan(long rows, int blockRows, int partitions) {
        if (rows < 1 || blockRows < 1 || partitions < 1) {
            throw new IllegalArgumentException(
                    "need rows, block rows and partitions >= 1, got " + rows + ", " + blockRows + ", " + partitions);
        }
        this.rows = rows;
        this.blockRows = blockRows;
        this.partitions = partitions;
        this.blocks = (rows + blockRows - 1) / blockRows;
    }

    long rows() {
        return rows;
    }

    int blockRows() {
        return blockRows;
    }

    int partitions() {
        return partitions;
    }

    long blocks() {
        return blocks;
    }

    /** The first block of partition {@code p}; partition p ends where p + 1 begins. */
    long firstBlock(int p) {
        // p · blocks fits in a long unless there are over 2³² blocks.
        return blocks < (1L << 32) ? p * blocks / partitions
                : java.math.BigInteger.valueOf(p).multiply(java.math.BigInteger.valueOf(blocks))
                        .divide(java.math.BigInteger.valueOf(partitions)).longValueExact();
    }

    /** The first row of partition {@code p}'s blocks (n for an empty partition at the end). */
    long firstRowOf(int p) {
        return Math.min(rows, firstRow(firstBlock(p)));
    }

    /** How many rows partition {@code p} holds, known before any row is read. */
    long rowsOf(int p) {
        return (p == partitions - 1 ? rows : firstRowOf(p + 1)) - firstRowOf(p);
    }

    long firstRow(long block) {
        return block * blockRows;
    }

    int rowsIn(long block) {
        return (int) Math.min(blockRows, rows - block * blockRows);
    }

    long blockOf(long row) {
        return row / blockRows;
    }

    /** The partition that holds {@code block}: the last p with firstBlock(p) ≤ block. */
    int partitionOf(long block) {
        int p = blocks < (1L << 32) ? (int) Math.min(partitions - 1, ((block + 1) * partitions - 1) / blocks) : 0;
        while (p > 0 && firstBlock(p) > block) {
            p--;
        }
        while (p < partitions - 1 && firstBlock(p + 1) <= block) {
            p++;
        }
        return p;
    }
}
