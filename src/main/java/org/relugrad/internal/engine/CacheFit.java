package org.relugrad.internal.engine;

/**
 * How much of the cached blocks Spark kept in memory, and how much memory would keep them all.
 *
 * @param cachedBytes the size of all cached blocks, in memory and on disk
 * @param spilledBytes the part that did not fit in memory and is read from disk at each pass
 * @param memoryToFit the JVM heap that would hold all blocks: the driver's in local mode, each executor's on a
 *     cluster (Spark keeps blocks in (heap − its reserved 300 MiB) × spark.memory.fraction, shared with execution)
 * @param local whether the driver's JVM holds the blocks (local mode), so its memory is the one to raise
 */
public record CacheFit(long cachedBytes, long spilledBytes, long memoryToFit, boolean local) {
    /** Whether every cached block is in memory. */
    public boolean fits() {
        return spilledBytes == 0;
    }
}
