package org.relugrad.data;

import org.apache.hadoop.conf.Configuration;

/** A .npy matrix read by row range: each task seeks straight to its first row. */
public final class NpyStoredRows implements StoredRows {
    private static final long serialVersionUID = 1L;

    private final NpyMatrix matrix;

    /** @throws InputException naming the file when it is not a 2-D float64 or float32 .npy file */
    public NpyStoredRows(String file, Configuration conf) {
        this.matrix = NpyMatrix.open(file, conf);
    }

    @Override
    public String name() {
        return matrix.file();
    }

    @Override
    public long rows() {
        return matrix.rows();
    }

    @Override
    public int cols() {
        return matrix.cols();
    }

    @Override
    public Cursor open(long firstRow, Configuration conf) {
        return new Cursor() {
            private long next = firstRow;

            @Override
            public void read(int count, double[] dest) {
                matrix.read(next, count, dest, 0);
                next += count;
            }

            @Override
            public void close() {
                // Each read opens and closes the file itself.
            }
        };
    }
}
