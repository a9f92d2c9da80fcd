package org.relugrad.internal.check;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.StoredRows;
import org.relugrad.internal.engine.BlockCheck;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Compares relugrad's ∂f/∂X and ∂f/∂Y with stored ones inside the tasks: each task reads the expected rows of its
 * own blocks beside the input, so no row is collected, whatever n is.
 */
final class ExpectedRows implements BlockCheck {
    private static final long serialVersionUID = 1L;

    private final StoredRows dX;
    private final StoredRows dY;
    private final Tolerance tolerance;
    private final HadoopConf conf;

    /**
     * @param dX expected ∂f/∂X, or null; {@code dY} alike
     * @param tolerance how close each value must be, or null for bit for bit
     */
    ExpectedRows(StoredRows dX, StoredRows dY, Tolerance tolerance, HadoopConf conf) {
        this.dX = dX;
        this.dY = dY;
        this.tolerance = tolerance;
        this.conf = conf;
    }

    @Override
    public Compared start() {
        return new Compared(this);
    }

    /** One task's comparisons. */
    static final class Compared implements Part {
        private static final long serialVersionUID = 1L;

        final TensorComparison dX;
        final TensorComparison dY;
        private final transient ExpectedRows check;
        private transient RowsReader xReader;
        private transient RowsReader yReader;

        private Compared(ExpectedRows check) {
            this.check = check;
            this.dX = check.dX == null ? null : new TensorComparison("dX", check.dX.cols(), check.tolerance);
            this.dY = check.dY == null ? null : new TensorComparison("dY", check.dY.cols(), check.tolerance);
        }

        @Override
        public void add(RowBlock block, BlockGradient gradient) {
            if (dX != null) {
                xReader = RowsReader.at(xReader, check.dX, block.firstRow(), check.conf);
                dX.add(block.firstRow() * block.d(), gradient.dX(), xReader.read(block.rows()),
                        block.rows() * block.d());
            }
            if (dY != null) {
                yReader = RowsReader.at(yReader, check.dY, block.firstRow(), check.conf);
                dY.add(block.firstRow() * block.k(), gradient.dY(), yReader.read(block.rows()),
                        block.rows() * block.k());
            }
        }

        @Override
        public Part merge(Part other) {
            Compared o = (Compared) other;
            if (dX != null) {
                dX.merge(o.dX);
            }
            if (dY != null) {
                dY.merge(o.dY);
            }
            return this;
        }

        @Override
        public void close() {
            RowsReader.close(xReader);
            RowsReader.close(yReader);
        }
    }
}
