package org.relugrad.internal.engine;

import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.GradientSum;

/**
 * The exact partial sum that the tasks of one sliced pass ({@link SlicedAggregation}) running in this JVM add their
 * blocks to: one per executor and pass, combined before anything leaves the executor. It remembers which partitions
 * added all their blocks, and whether any task failed after adding some (or ran twice here), so that the driver can
 * tell a sum that holds every partition once from one that does not, and run the pass again.
 */
final class ExecutorSums {
    /** Passes by id; only the newest two are kept, so a pass that failed leaves nothing behind for long. */
    private static final TreeMap<Long, Share> PASSES = new TreeMap<>();
    /**
     * The sum of the last pass whose slices were sent, for the next pass of the same shape to add to ({@link
     * GradientSum#clear}): the arrays of a wide layer's sum are used again, pass after pass, instead of a new
     * 16·d·k bytes each time.
     */
    private static GradientSum spare;

    private ExecutorSums() {
    }

    /** This JVM's share of pass {@code pass}, made on first use. */
    static synchronized Share forPass(long pass, int d, int k) {
        Share share = PASSES.get(pass);
        if (share == null) {
            GradientSum sum = spare != null && spare.isFor(d, k) ? spare : new GradientSum(d, k);
            spare = null;
            sum.clear();
            share = new Share(sum);
            PASSES.put(pass, share);
            while (PASSES.size() > 2) {
                PASSES.pollFirstEntry();
            }
        }
        return share;
    }

    /** Takes this JVM's share of {@code pass} away (null if it has none), and every older one with it. */
    static synchronized Share take(long pass) {
        Share share = PASSES.remove(pass);
        for (Iterator<Map.Entry<Long, Share>> it = PASSES.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getKey() < pass) {
                it.remove();
            }
        }
        return share;
    }

    /**
     * Hands back the sum of a share taken away, once nothing refers to it any more (its slices written out), for the
     * next pass to use.
     */
    static synchronized void recycle(GradientSum used) {
        spare = used;
    }

    /** One executor's sum of one pass, with the partitions in it. */
    static final class Share {
        final GradientSum sum;
        final BitSet started = new BitSet();
        final BitSet done = new BitSet();
        boolean spoiled;

        Share(GradientSum sum) {
            this.sum = sum;
        }

        /** A task of {@code partition} begins; a second attempt in this JVM spoils the sum (its blocks may be in). */
        synchronized void start(int partition) {
            if (started.get(partition)) {
                spoiled = true;
            }
            started.set(partition);
        }

        synchronized void add(BlockGradient block) {
            sum.add(block);
        }

        /** A task ends: its partition is in the sum whole, or, when it failed, the sum is spoiled. */
        synchronized void finish(int partition, boolean succeeded) {
            if (succeeded) {
                done.set(partition);
            } else {
                spoiled = true;
            }
        }
    }
}
