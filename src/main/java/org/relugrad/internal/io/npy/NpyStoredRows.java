package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.StoredRows;

import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A matrix in .npy files read by row range: one file, or relugrad's npy parts, whose rows follow each other part
 * after part. Each task seeks straight to its first row.
 */
public final class NpyStoredRows implements StoredRows {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final NpyMatrix[] parts;
    /** The first row of each part, and the total after the last. */
    private final long[] firstRows;

    /**
     * @param name the file or folder as the user named it
     * @param files the files in row order; a part of no rows (an empty partition's) is taken
     * @throws InputException naming a file that is not a 2-D float64 or float32 .npy file, or one whose width
     *     differs from the first's
     */
    public NpyStoredRows(String name, List<String> files, Configuration conf) {
        this.name = name;
        this.parts = new NpyMatrix[files.size()];
        this.firstRows = new long[files.size() + 1];
        HadoopConf shared = new HadoopConf(conf);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = NpyMatrix.openPart(files.get(i), shared);
            if (parts[i].cols() != parts[0].cols()) {
                throw new InputException(files.get(i), 0, "has " + parts[i].cols() + " columns, but "
                        + files.get(0) + " has " + parts[0].cols());
            }
            firstRows[i + 1] = firstRows[i] + parts[i].rows();
        }
    }

    /** One .npy file. */
    public NpyStoredRows(String file, Configuration conf) {
        this(file, List.of(file), conf);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long rows() {
        return firstRows[parts.length];
    }

    @Override
    public int cols() {
        return parts.length == 0 ? 0 : parts[0].cols();
    }

    @Override
    public Cursor open(long firstRow, Configuration conf) {
        return new Cursor() {
            private long next = firstRow;
            private int part;

            @Override
            public void read(int count, double[] dest) {
                for (int done = 0; done < count; ) {
                    while (next >= firstRows[part + 1]) {
                        part++;
                    }
                    int take = (int) Math.min(count - done, firstRows[part + 1] - next);
                    parts[part].read(next - firstRows[part], take, dest, done * cols());
                    done += take;
                    next += take;
                }
            }

            @Override
            public void close() {
                // Each read opens and closes its file itself.
            }
        };
    }
}
