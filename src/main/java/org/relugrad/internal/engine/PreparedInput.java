package org.relugrad.internal.engine;

import org.apache.spark.api.java.JavaRDD;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * An input made ready for {@link GradientJob#run}: n, d and k known, the blocks planned (not yet computed), and the W
 * the input names, if any. Any W of shape d × k may be given to each run.
 */
public final class PreparedInput {
    /** The W the input names (its W file); null for rows that come without one. */
    private final Matrix w;
    private final int d;
    private final int k;
    private final BlockPlan plan;
    private final JavaRDD<RowBlock> blocks;
    private final JavaRDD<RowBlock> distinctBlocks;
    private final double prepareSeconds;
    private final String description;
    /** The RDD Spark caches, when the blocks are cached; else null. */
    private final JavaRDD<?> kept;
    /** Seconds spent reading the blocks into the cache; negative when they are not cached. */
    private final double cacheSeconds;
    /** Whether the blocks keep float32 values ({@link RowBlock#float32}). */
    private final boolean float32;

    /**
     * @param blocks the blocks, for one pass that is done with each block before it asks for the next (a block
     *     may be read into the arrays of the one before)
     * @param distinctBlocks the same blocks, each with arrays of its own, for a cache
     */
    PreparedInput(Matrix w, int d, int k, BlockPlan plan, JavaRDD<RowBlock> blocks, JavaRDD<RowBlock> distinctBlocks,
                  double prepareSeconds, String description) {
        this(w, d, k, plan, blocks, distinctBlocks, prepareSeconds, description, null, -1, false);
    }

    /** As above, for blocks that keep float32 values where {@code float32}. */
    PreparedInput(Matrix w, int d, int k, BlockPlan plan, JavaRDD<RowBlock> blocks, JavaRDD<RowBlock> distinctBlocks,
                  double prepareSeconds, String description, boolean float32) {
        this(w, d, k, plan, blocks, distinctBlocks, prepareSeconds, description, null, -1, float32);
    }

    private PreparedInput(Matrix w, int d, int k, BlockPlan plan, JavaRDD<RowBlock> blocks,
                          JavaRDD<RowBlock> distinctBlocks, double prepareSeconds, String description,
                          JavaRDD<?> kept, double cacheSeconds, boolean float32) {
        this.description = description;
        this.w = w;
        this.d = d;
        this.k = k;
        this.plan = plan;
        this.blocks = blocks;
        this.distinctBlocks = distinctBlocks;
        this.prepareSeconds = prepareSeconds;
        this.kept = kept;
        this.cacheSeconds = cacheSeconds;
        this.float32 = float32;
    }

    /** The same input, its blocks read from {@code kept}, which Spark caches and which took {@code seconds}. */
    PreparedInput cached(JavaRDD<RowBlock> keptBlocks, JavaRDD<?> kept, double seconds) {
        return new PreparedInput(w, d, k, plan, keptBlocks, keptBlocks, prepareSeconds, description, kept, seconds,
                float32);
    }

    /** Lets Spark drop the cached blocks, if any. */
    void release() {
        if (kept != null) {
            // Blocking, as GradientJob destroys W's broadcast: a removal under way when the context stops shows
            // up as a stack trace on stderr.
            kept.unpersist(true);
        }
    }

    /** The RDD Spark caches; null unless the blocks are cached. */
    JavaRDD<?> kept() {
        return kept;
    }

    boolean isCached() {
        return cacheSeconds >= 0;
    }

    double cacheSeconds() {
        return cacheSeconds;
    }

    /** n. */
    public long rows() {
        return plan.rows();
    }

    /** d, the columns of X (the rows of W). */
    public int d() {
        return d;
    }

    /** k, the columns of Y (the columns of W). */
    public int k() {
        return k;
    }

    /** The W the input names (e.g. its W file); null when it names none. */
    public Matrix w() {
        return w;
    }

    /** The rows per block, B. */
    public int blockRows() {
        return plan.blockRows();
    }

    /** The partitions that compute the blocks. */
    public int partitions() {
        return plan.partitions();
    }

    BlockPlan plan() {
        return plan;
    }

    JavaRDD<RowBlock> blocks() {
        return blocks;
    }

    JavaRDD<RowBlock> distinctBlocks() {
        return distinctBlocks;
    }

    /** Whether the blocks keep float32 values, which the kernel widens as it reads them. */
    public boolean float32() {
        return float32;
    }

    /** The input's description, for messages. */
    public String describe() {
        return description;
    }

    double prepareSeconds() {
        return prepareSeconds;
    }
}
