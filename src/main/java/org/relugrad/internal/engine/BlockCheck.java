package org.relugrad.internal.engine;

import java.io.Serializable;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Work that rides along the gradient pass: in each task it sees every block with the gradient the kernel computed
 * for it, in row order, and the tasks' parts merge into one. Gradient checks are made of these, so that they read
 * the input once and never collect rows.
 */
public interface BlockCheck extends Serializable {

    /** In a task, before its first block. */
    Part start();

    /** One task's share; merged in any order. */
    interface Part extends Serializable {
        /**
         * Takes one block and its gradient (valid only during the call).
         *
         * @throws org.relugrad.internal.io.InputException for bad data this part reads beside the input
         */
        void add(RowBlock block, BlockGradient gradient);

        /** Folds {@code other} in; returns this. */
        Part merge(Part other);

        /** Releases what the part opened; called in the task after its last block, also on failure. */
        void close();
    }
}
