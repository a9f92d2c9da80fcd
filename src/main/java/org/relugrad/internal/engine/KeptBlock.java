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

    /**
     * A partition's blocks, ending with the first input error met, if any.
     *
     * @param rowsRead where each block's rows are counted as it is read, for the progress a person sees; may be null
     */
    static Iterator<KeptBlock> keep(Iterator<RowBlock> blocks, Progress.RowCounter rowsRead) {
        return new Iterator<>() {
            private boolean failed;

            @Override
            public boolean hasNext() {
                if (failed) {
                    return false;
                }
                try {
                    return blocks.hasNext();
                } catch (InputException e) {
                    return true;
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
