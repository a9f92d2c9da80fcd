package org.relugrad.internal.engine;

import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.RDDInfo;

/** Reads Spark's storage report of a cached RDD and finds the memory that would hold it all (see {@link CacheFit}). */
final class CacheStorage {
    /** What Spark's unified memory manager keeps back from the heap (its RESERVED_SYSTEM_MEMORY_BYTES). */
    private static final long RESERVED_BYTES = 300L << 20;
    /** Room beyond the blocks' own size, for the tasks' working memory that shares Spark's memory with them. */
    private static final double HEADROOM = 1.25;
    private static final long GIB = 1L << 30;
    /** The longest the report waits for Spark's events of the blocks just cached. */
    private static final long EVENTS_MILLIS = 10_000;

    private CacheStorage() {
    }

    static CacheFit fit(SparkContext sc, int rddId) {
        // Spark's storage report comes from its status store, which the listener bus fills as the blocks' update
        // events arrive: right after the pass that cached them, some may not have yet, and the report then counted
        // a fraction of the blocks (in tests, 392 bytes for 2,000 of float64). Read it once they all have.
        // (Scala's private[spark] is public to Java.)
        try {
            sc.listenerBus().waitUntilEmpty(EVENTS_MILLIS);
        } catch (TimeoutException e) {
            // A bus still busy after that long: the report as it stands.
        }
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
