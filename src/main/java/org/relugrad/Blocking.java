package org.relugrad;

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
    /** At most this many partitions (part files are numbered with five digits). */
    public static final int MAX_PARTITIONS = 100_000;
    /** Spark's default parallelism, and B chosen from d and k. */
    public static final Blocking DEFAULT = new Blocking(0, CHOSEN_BLOCK_ROWS);

    public Blocking {
        requirePartitions(partitions, true);
        requireBlockRows(blockRows, true);
    }

    /**
     * @param zeroForDefault whether 0 stands for Spark's default parallelism (as in a Blocking)
     * @throws SettingOutOfRange unless {@code partitions} is from 1 to {@value #MAX_PARTITIONS}, or 0 where allowed
     */
    public static void requirePartitions(int partitions, boolean zeroForDefault) {
        if ((partitions < 1 && !(zeroForDefault && partitions == 0)) || partitions > MAX_PARTITIONS) {
            throw new SettingOutOfRange(SettingOutOfRange.Setting.PARTITIONS, "{} must be from 1 to " + MAX_PARTITIONS
                    + (zeroForDefault ? ", or 0 for Spark's default parallelism; was " : ", was ") + partitions);
        }
    }

    /**
     * @param zeroToChoose whether 0 asks for B chosen from d and k (as in a Blocking)
     * @throws SettingOutOfRange unless {@code blockRows} is at least 1, or 0 where allowed
     */
    public static void requireBlockRows(int blockRows, boolean zeroToChoose) {
        if (blockRows < (zeroToChoose ? 0 : 1)) {
            throw new SettingOutOfRange(SettingOutOfRange.Setting.BLOCK_ROWS, zeroToChoose
                    ? "{} must be at least 1, or 0 to choose them from d and k; was " + blockRows
                    : "{} must be >= 1, was " + blockRows);
        }
    }

}
