package org.relugrad.internal.engine;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.kernel.RowBlock;

/**
 * A block as Spark caches it: the block, or the input error that ended its partition's reading. Spark reads a
 * partition whole before caching it, so an error thrown there would fail the task (and have it retried for
 * nothing); kept as a value, it reaches the driver like any other input error.
 */
record KeptBlock(RowBlock block, InputError error) implements Serializable {
    /** The longest a partition waits for the thread it is given. */
    static final long AWAIT_MILLIS = 5000;

    /**
     * A partition's blocks, ending with the first input error met, if any.
     *
     * @param rowsRead where each block's rows are counted as it is read, for the progress a person sees; may be null
     * @param awaited a thread the partition's end waits for, {@value #AWAIT_MILLIS} ms at most (the kernel's warm-up,
     *                which takes a fraction of a second on a quiet machine); may be null
     */
    static Iterator<KeptBlock> keep(Iterator<RowBlock> blocks, Progress.RowCounter rowsRead, Thread awaited) {
        return new Iterator<>() {
            private boolean failed;

            @Override
            public boolean hasNext() {
                if (failed) {
                    return false;
                }
                try {
                    boolean more = blocks.hasNext();
                    if (!more && awaited != null) {
                        awaited.join(AWAIT_MILLIS);
                    }
                    return more;
                } catch (InputException e) {
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the task was killed: Spark sees the flag
                    return false;
                }
            }

            @Override
            public KeptBlock next() {
                if (failed) {
                    throw new NoSuchElementException();
                }
                try {
                    RowBlock block = blocks.next();
                    if (rowsRead != null) {
                        rowsRead.add(block.rows());
                    }
                    return new KeptBlock(block, null);
                } catch (InputException e) {
                    failed = true;
                    return new KeptBlock(null, e.error());
                }
            }
        };
    }
}
