package org.relugrad.job;

import org.apache.spark.api.java.JavaRDD;
import org.relugrad.math.Matrix;
import org.relugrad.math.RowBlock;

/** An input made ready for {@link GradientJob#run}: W read, n known, the blocks planned (not yet computed). */
public final class PreparedInput {
    private final Matrix w;
    private final BlockPlan plan;
    private final JavaRDD<RowBlock> blocks;
    private final double prepareSeconds;
    private final String description;

    PreparedInput(Matrix w, BlockPlan plan, JavaRDD<RowBlock> blocks, double prepareSeconds, String description) {
        this.description = description;
        this.w = w;
        this.plan = plan;
        this.blocks = blocks;
        this.prepareSeconds = prepareSeconds;
    }

    /** n. */
    public long rows() {
        return plan.rows();
    }

    public Matrix w() {
        return w;
    }

    BlockPlan plan() {
        return plan;
    }

    JavaRDD<RowBlock> blocks() {
        return blocks;
    }

    /** The input's description, for messages. */
    public String describe() {
        return description;
    }

    double prepareSeconds() {
        return prepareSeconds;
    }
}
