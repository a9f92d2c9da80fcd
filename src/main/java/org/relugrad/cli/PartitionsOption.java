package org.relugrad.cli;

import org.relugrad.Blocking;
import picocli.CommandLine.Option;

/** --partitions, shared by grad and fit: the partitions that compute the blocks, or Spark's default parallelism. */
final class PartitionsOption {
    @Option(names = "--partitions", paramLabel = "P", description = "partitions (default: Spark's default parallelism)")
    Integer partitions;

    /**
     * P as given, or 0 (Spark's default) when none was.
     *
     * @throws org.relugrad.SettingOutOfRange for a P given out of range, 0 included
     */
    int count() {
        if (partitions == null) {
            return 0;
        }
        Blocking.requirePartitions(partitions, false);
        return partitions;
    }
}
