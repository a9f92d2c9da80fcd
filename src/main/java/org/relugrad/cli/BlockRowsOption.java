package org.relugrad.cli;

import org.relugrad.Blocking;
import picocli.CommandLine.Option;

/** --block-rows, shared by the commands that run the gradient: rows per block, or a size chosen from d and k. */
final class BlockRowsOption {
    @Option(names = "--block-rows", paramLabel = "B",
            description = "rows per block (default: 4095 to 65535, from d and k; recorded in summary.json)")
    Integer blockRows;

    /**
     * B as given, or {@link Blocking#CHOSEN_BLOCK_ROWS} when none was.
     *
     * @throws org.relugrad.SettingOutOfRange for a B given below 1
     */
    int rowsPerBlock() {
        if (blockRows == null) {
            return Blocking.CHOSEN_BLOCK_ROWS;
        }
        Blocking.requireBlockRows(blockRows, false);
        return blockRows;
    }
}
