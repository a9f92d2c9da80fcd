package org.relugrad.internal.engine;

import org.apache.spark.SparkContext;
import org.apache.spark.storage.RDDInfo;

/** Reads Spark's storage report of a cached RDD and finds the memory that would hold it all (see {@link CacheFit}). */
final class CacheStorage {
    /** What Spark's unified memory manager keeps back from the heap (its RESERVED_SYSTEM_MEMORY_BYTES). */
    private static final long RESERVED_BYTES = 300L << 20;
    /** Room beyond the blocks' own size, for the tasks' working memory that shares Spark's memory with them. */
    private static final double HEADROOM = 1.25;
    private static final long GIB = 1L << 30;

    private CacheStorage() {
    }

    static CacheFit fit(SparkContext sc, int rddId) {
        long inMemory = 0;
        long onDisk = 0;
        for (RDDInfo info : sc.getRDDStorageInfo()) {
            if (info.id() == rddId) {
                inMemory += info.memSize();
                onDisk += info.diskSize();
            }
        }
        boolean local = sc.isLocal();
        // On a cluster the driver has a block manager too, but holds no blocks.
        int holders = local ? 1 : Math.max(1, sc.getExecutorMemoryStatus().size() - 1);
        double fraction = sc.getConf().getDouble("spark.memory.fraction", 0.6);
        long perHolder = (inMemory + onDisk + holders - 1) / holders;
        long heap = (long) Math.ceil(perHolder * HEADROOM / fraction) + RESERVED_BYTES;
        return new CacheFit(inMemory + onDisk, onDisk, (heap + GIB - 1) / GIB * GIB, local);
    }
}
