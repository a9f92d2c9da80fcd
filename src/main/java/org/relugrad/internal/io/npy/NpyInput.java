package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.RowRangeInput;

import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * X and Y as .npy files (2-D, float64 or float32, C order) on any Hadoop file system, W as .npy or CSV. Each task
 * reads its blocks' rows of X and of Y at their computed offsets, so the same rows of both files meet in the same
 * task without a shuffle and a file of any size is read in parallel.
 *
 * <p>Where X and Y are both float32, the blocks keep them so (half the memory in a cache, half the bytes to stream
 * at every pass) and the kernel widens them as it reads them; where only one is, it is widened to float64 as it is
 * read, as a block holds one type. Either way the results are those of the same values in float64.
 */
public final class NpyInput implements RowRangeInput {
    private static final long serialVersionUID = 1L;

    private final String xFile;
    private final String yFile;
    private final String wFile;
    private NpyMatrix x;
    private NpyMatrix y;

    public NpyInput(String xFile, String yFile, String wFile) {
        this.xFile = xFile;
        this.yFile = yFile;
        this.wFile = wFile;
    }

    /** Checks both headers and sizes, reads W, and checks the three shapes agree, before any Spark job. */
    @Override
    public Matrix open(Configuration conf) {
        NpyMatrix xs = NpyMatrix.open(xFile, conf);
        NpyMatrix ys = NpyMatrix.open(yFile, conf);
        Matrix w = MatrixFile.read(wFile, conf);
        if (xs.cols() != w.rows()) {
            throw new InputException(xFile, 0, "has " + xs.cols() + " columns, but " + wFile + " has " + w.rows()
                    + " rows (X is n x d, W is d x k)");
        }
        if (ys.cols() != w.cols()) {
            throw new InputException(yFile, 0, "has " + ys.cols() + " columns, but " + wFile + " has " + w.cols()
                    + " (Y is n x k, W is d x k)");
        }
        if (xs.rows() != ys.rows()) {
            throw new InputException(xFile, 0, "has " + xs.rows() + " rows and " + yFile + " has " + ys.rows()
                    + "; the rows of X and Y must pair up");
        }
        this.x = xs;
        this.y = ys;
        return w;
    }

    @Override
    public long rows() {
        return x.rows();
    }

    /** Whether X and Y are both float32, so that the blocks keep them as float32. */
    @Override
    public boolean float32() {
        return x.header().float32() && y.header().float32();
    }

    @Override
    public RowBlock read(long firstRow, int count) {
        if (float32()) {
            return new RowBlock(firstRow, count, x.cols(), y.cols(), x.readFloats(firstRow, count),
                    y.readFloats(firstRow, count));
        }
        return new RowBlock(firstRow, count, x.cols(), y.cols(), x.read(firstRow, count), y.read(firstRow, count));
    }

    @Override
    public String describe() {
        return "npy: x=" + xFile + " y=" + yFile + " w=" + wFile;
    }
}
