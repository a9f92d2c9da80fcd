package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import java.io.Serializable;

/**
 * The loss and ∂f/∂W summed over any set of blocks, exactly (see {@link ExactSum}): merging partial sums in any
 * order and grouping gives the same bits.
 *
 * <p>Until a block is added, it holds no d·k arrays and serializes to a few dozen bytes: a task that had no rows
 * costs nothing to ship. ∂f/∂W's sum can be cut into slices ({@link #dWSlice}), summed apart and rounded apart
 * (each entry's rounding depends on that entry's exact sum alone).
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final int k;
    private final ExactSum loss = new ExactSum(1);
    private final ExactSum dW;
    private long rows;
    private long blocks;

    public GradientSum(int d, int k) {
        if (d < 0 || k < 0 || (long) d * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("no sum for W of " + d + "x" + k);
        }
        this.d = d;
        this.k = k;
        this.dW = new ExactSum(d * k);
    }

    /** Adds one block's loss and its share of ∂f/∂W. */
    public void add(BlockGradient block) {
        loss.add(0, block.loss());
        loss.add(0, block.lossError());
        dW.addAll(block.dW());
        rows += block.rows();
        blocks++;
    }

    /** Whether this is a sum for W of d × k. */
    public boolean isFor(int d, int k) {
        return this.d == d && this.k == k;
    }

    /** Empties the sum, as new, keeping ∂f/∂W's arrays for what is added next ({@link ExactSum#clear}). */
    public void clear() {
        loss.clear();
        dW.clear();
        rows = 0;
        blocks = 0;
    }

    /** Adds everything summed by {@code other}. */
    public void merge(GradientSum other) {
        if (other.d != d || other.k != k) {
            throw new IllegalArgumentException("cannot merge sums for W of " + d + "x" + k + " and " + other.d + "x" + other.k);
        }
        loss.merge(other.loss);
        dW.merge(other.dW);
        rows += other.rows;
        blocks += other.blocks;
    }

    /** f = ‖R‖²_F, rounded once. */
    public double loss() {
        return loss.rounded(0);
    }

    /** ∂f/∂W, each entry rounded once. */
    public Matrix dW() {
        return new Matrix(d, k, dW.rounded());
    }

    /**
     * ∂f/∂W's exact sum, d·k entries row-major: this sum's own, not a copy (merging into it changes this
     * GradientSum). {@link ExactSum#isZero()} while no block with a non-zero ∂f/∂W was added.
     */
    public ExactSum dWSum() {
        return dW;
    }

    /** Entries [from, to) of ∂f/∂W's exact sum (row-major), as a sum of their own: a copy. */
    public ExactSum dWSlice(int from, int to) {
        return dW.slice(from, to);
    }

    /** f's exact sum (one entry), not rounded: this sum's own. */
    public ExactSum lossSum() {
        return loss;
    }

    /** How many rows were added. */
    public long rows() {
        return rows;
    }

    /** How many blocks were added. */
    public long blocks() {
        return blocks;
    }
}
