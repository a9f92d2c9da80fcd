package org.relugrad.internal.engine;

import org.relugrad.SettingOutOfRange;
import java.io.Serializable;

/**
 * How n rows fall into blocks and blocks into partitions. Block b is always rows [b·B, (b+1)·B) (the last one
 * shorter), whatever the partitioning: that is what keeps every block's partial, and so the exact sum of them all,
 * the same bits for any partition count. Partition p holds the consecutive blocks [⌊p·nb/P⌋, ⌊(p+1)·nb/P⌋).
 */
public final class BlockPlan implements Serializable {
    private static final long serialVersionUID = 1L;
    /** At most this many values of X, Y or Z in one block (1 GiB of doubles): blocks must fit a task's memory. */
    static final long MAX_BLOCK_VALUES = 1L << 27;
    /** About this many bytes of X and Y in a block, when the block size is chosen. */
    private static final int BLOCK_BYTES = 1 << 22;
    private static final int MIN_DEFAULT_BLOCK_ROWS = 4096;
    private static final int MAX_DEFAULT_BLOCK_ROWS = 65536;
    /** At most about this many bytes of Y, Z and G in one task's block, when the block size is chosen. */
    private static final long WIDE_BLOCK_BYTES = 512L << 20;

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

    /**
     * Rows per block when none is given: about 4 MiB of X and Y, from 4095 to 65535 rows. Narrow rows want long
     * blocks, so that each BLAS call and each exact addition of a block's ∂f/∂W does enough work; wide rows are kept
     * at 4095, where the block products still run at the BLAS's full speed. Measured on 2 cores with OpenBLAS:
     * d = k = 4 is fastest at 65536 rows, 16 at 16384, 64 and wider at 4096. One row short of a power of two: with
     * d and k powers of two, a block's arrays plus the JVM's 16-byte array header then stay under a power of two
     * bytes, so a cached block fills whole G1 heap regions instead of spilling one header's worth into one more.
     * The block size is part of the result's bits, so it depends on nothing but d and k. Very wide rows get fewer
     * rows, so that a task's k-wide block buffers (Y, Z and G) stay within {@value #WIDE_BLOCK_BYTES} bytes (below 4095 rows
     * from k = 5462 on: d = k = 2048 keeps 4095).
     */
    static int defaultBlockRows(int d, int k) {
        long rows = Long.highestOneBit(Math.max(1, BLOCK_BYTES / (8L * (d + k))));
        rows = Math.max(MIN_DEFAULT_BLOCK_ROWS, Math.min(MAX_DEFAULT_BLOCK_ROWS, rows)) - 1;
        // A task's k-wide buffers for one block on the BLAS path (Y, Z and G) stay within WIDE_BLOCK_BYTES:
        // 1023 rows at d = 4096, k = 16384, where 4095 would take 1.6 GB a task.
        long wide = Long.highestOneBit(Math.max(1, WIDE_BLOCK_BYTES / (24L * k))) - 1;
        rows = Math.min(rows, Math.max(1, wide));
        return (int) Math.max(1, Math.min(rows, MAX_BLOCK_VALUES / Math.max(d, k)));
    }

    /**
     * A block's arrays must be indexable by int and fit a task's memory: says so before any work starts.
     *
     * @throws SettingOutOfRange when B rows of d or k values are more than {@value #MAX_BLOCK_VALUES}
     */
    static void requireBlockFits(int blockRows, int d, int k) {
        long values = (long) blockRows * Math.max(d, k);
        if (values > MAX_BLOCK_VALUES) {
            throw new SettingOutOfRange(SettingOutOfRange.Setting.BLOCK_ROWS, "{} " + blockRows
                    + " is too large for d = " + d + ", k = " + k + ": a block would hold " + values
                    + " values of one matrix (at most " + MAX_BLOCK_VALUES + "); use {} "
                    + Math.max(1, MAX_BLOCK_VALUES / Math.max(d, k)) + " or less");
        }
    }

    public long rows() {
        return rows;
    }

    public int blockRows() {
        return blockRows;
    }

    public int partitions() {
        return partitions;
    }

    public long blocks() {
        return blocks;
    }

    /** The first block of partition {@code p}; partition p ends where p + 1 begins. */
    public long firstBlock(int p) {
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

    public long firstRow(long block) {
        return block * blockRows;
    }

    public int rowsIn(long block) {
        return (int) Math.min(blockRows, rows - block * blockRows);
    }

    public long blockOf(long row) {
        return row / blockRows;
    }

    /** The partition that holds {@code block}: the last p with firstBlock(p) ≤ block. */
    public int partitionOf(long block) {
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
