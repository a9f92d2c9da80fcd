package org.relugrad.cli;

import org.relugrad.internal.engine.GradientJob;
import picocli.CommandLine.Option;

/** --block-rows, shared by the commands that run the gradient: rows per block, or a size chosen from d and k. */
final class BlockRowsOption {
    @Option(names = "--block-rows", paramLabel = "B",
            description = "rows per block (default: 4095 to 65535, from d and k; recorded in summary.json)")
    Integer blockRows;

    /**
     * B for {@link GradientJob#prepare}, {@link GradientJob#CHOSEN_BLOCK_ROWS} when none was given.
     *
     * @throws IllegalArgumentException for a B below 1
     */
    int rowsPerBlock() {
        if (blockRows != null && blockRows < 1) {
            throw new IllegalArgumentException("--block-rows must be >= 1, was " + blockRows);
        }
        return blockRows == null ? GradientJob.CHOSEN_BLOCK_ROWS : blockRows;
    }
}
