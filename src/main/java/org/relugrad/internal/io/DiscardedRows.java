package org.relugrad.internal.io;

import java.util.SortedMap;
import org.relugrad.internal.kernel.Output;

/**
 * A sink that keeps nothing: ∂f/∂X and ∂f/∂Y are computed, as in a training step that hands them on, but not
 * written. For repeated runs before the last one, and for timing the per-row gradients without the cost of output.
 */
public final class DiscardedRows implements RowSink {
    private static final long serialVersionUID = 1L;

    @Override
    public RowWriter open(Output tensor, int partition, long attemptId, long firstRow, long rows, int cols) {
        return new RowWriter() {
            @Override
            public void write(long firstRow, int rows, double[] values) {
            }

            @Override
            public String finish() {
                return "";
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void commit(Output tensor, SortedMap<Integer, String> parts) {
    }
}
