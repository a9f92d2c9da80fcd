package org.relugrad.internal.engine;

import java.util.EnumSet;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.kernel.KernelWarmUp;
import org.relugrad.internal.kernel.Output;

/**
 * Keeps every block, as the primitive arrays it is made of, in the executors' memory (spilling to their disks where
 * memory runs short), so that many passes run over the same rows, as in a training loop, reading them once.
 */
final class BlockCache {
    private BlockCache() {
    }

    /**
     * Reads or generates every block once and keeps it; where {@code warmUp} names outputs (else null), each
     * executor's first task of the pass starts the kernel's warm-up for them ({@link KernelWarmUp}) beside its
     * reading, and ends only when the warm-up has, so the first pass over the kept blocks finds the kernel compiled.
     *
     * @throws InputException for bad data met while reading; nothing is kept then
     */
    static PreparedInput cache(PreparedInput input, EnumSet<Output> warmUp, Progress.RowCounter rowsRead) {
        long start = System.nanoTime();
        int d = input.d();
        int k = input.k();
        boolean float32 = input.float32();
        JavaRDD<KeptBlock> kept = input.distinctBlocks().mapPartitions(blocks ->
                KeptBlock.keep(blocks, rowsRead, warmUp == null ? null : KernelWarmUp.start(d, k, warmUp, float32))
        ).persist(StorageLevel.MEMORY_AND_DISK());
        List<InputError> errors = kept.filter(b -> b.error() != null).map(KeptBlock::error).collect();
        if (!errors.isEmpty()) {
            kept.unpersist(true);
            throw new InputException(errors.stream().min(InputError::compareTo).orElseThrow());
        }
        return input.cached(kept.map(KeptBlock::block), kept, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Where Spark keeps the cached blocks: in memory or, where memory ran short, on disk, which every pass then
     * reads again; and the memory that would keep them all.
     */
    static CacheFit fit(JavaSparkContext sc, PreparedInput cached) {
        if (!cached.isCached()) {
            throw new IllegalArgumentException("the blocks are not cached");
        }
        return CacheStorage.fit(sc.sc(), cached.kept().id());
    }
}
