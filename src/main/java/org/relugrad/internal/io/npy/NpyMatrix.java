package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.relugrad.Matrix;

/**
 * A 2-D float64 or float32 .npy file on any Hadoop file system, read by row range: row r of a C-order matrix lies
 * at a computed offset, so any task can read any rows of a file of any size without reading the rest. Opened (and
 * checked) once on the driver, then sent to the tasks, which read their own rows.
 *
 * <pre>
 *   NpyMatrix x = NpyMatrix.open("hdfs:///data/X.npy", conf);   // header checked, size checked
 *   double[] rows = x.read(firstRow, count);                     // inside a task: count × cols(), row-major
 * </pre>
 */
public final class NpyMatrix implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Values read per system call: large enough to stream at disk speed, small enough to keep buffers small. */
    private static final int CHUNK_VALUES = 1 << 16;

    private final String path;
    private final NpyHeader header;
    private final HadoopConf conf;

    private NpyMatrix(String path, NpyHeader header, HadoopConf conf) {
        this.path = path;
        this.header = header;
        this.conf = conf;
    }

    /**
     * Reads and checks the header of {@code path} and that the file holds exactly the data its shape calls for.
     *
     * @throws InputException naming the file when it is missing, not a .npy file, not a 2-D little-endian float64
     *     or float32 matrix in C order, or truncated
     */
    public static NpyMatrix open(String path, Configuration conf) {
        return open(path, new HadoopConf(conf), false, false);
    }

    /** As {@link #open(String, Configuration)}; where {@code vector}, a 1-D array (k,) opens as 1 × k. */
    public static NpyMatrix open(String path, Configuration conf, boolean vector) {
        return open(path, new HadoopConf(conf), vector, false);
    }

    /**
     * As {@link #open(String, Configuration)}, taking a part of no rows too (an empty partition's); the parts of one
     * output share {@code conf}, which then travels to the tasks once, not once per part.
     */
    public static NpyMatrix openPart(String path, HadoopConf conf) {
        return open(path, conf, false, true);
    }

    private static NpyMatrix open(String path, HadoopConf conf, boolean vector, boolean noRows) {
        Path p = new Path(path);
        FileSystem fs = HadoopFiles.fileSystem(p, conf.get());
        try {
            long length = fs.getFileStatus(p).getLen();
            NpyHeader header;
            try (FSDataInputStream in = fs.open(p)) {
                header = NpyHeader.read(in, path, vector, noRows);
            }
            long expected = header.dataOffset() + header.dataBytes();
            if (length < expected) {
                throw new InputException(path, 0, "truncated: its header says " + header.shapeText() + " ("
                        + expected + " bytes), the file has " + length + " bytes");
            }
            if (length > expected) {
                throw new InputException(path, 0, "has " + (length - expected) + " bytes after the data of its "
                        + header.shapeText() + " matrix: not a single .npy array");
            }
            return new NpyMatrix(path, header, conf);
        } catch (FileNotFoundException e) {
            throw new InputException(path, 0, "no such file");
        } catch (IOException e) {
            throw new InputException(path, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** The file as the user named it. */
    public String file() {
        return path;
    }

    public NpyHeader header() {
        return header;
    }

    public long rows() {
        return header.rows();
    }

    public int cols() {
        return header.cols();
    }

    /**
     * Rows {@code [firstRow, firstRow + count)}, row-major, widened to float64 when the file holds float32.
     *
     * @throws InputException naming the file and row for a value that is NaN or infinite, or when the file has
     *     become shorter since it was opened
     */
    public double[] read(long firstRow, int count) {
        double[] values = new double[Math.multiplyExact(count, cols())];
        read(firstRow, count, values, 0);
        return values;
    }

    /** As {@link #read(long, int)}, into {@code dest} from {@code offset}. */
    public void read(long firstRow, int count, double[] dest, int offset) {
        checkRange(firstRow, count);
        readRows(firstRow, count, in -> readValues(in, dest, offset, count * cols()));
        requireFinite(firstRow, count, dest, offset);
    }

    /**
     * Rows {@code [firstRow, firstRow + count)} of a float32 file, row-major, as float32: kept so, they take half
     * the memory of {@link #read(long, int)}'s and widen exactly to the same float64 values.
     *
     * @throws IllegalStateException when the file holds float64
     * @throws InputException as {@link #read(long, int)}
     */
    public float[] readFloats(long firstRow, int count) {
        if (!header.float32()) {
            throw new IllegalStateException(path + " holds float64, not float32");
        }
        checkRange(firstRow, count);
        float[] values = new float[Math.multiplyExact(count, cols())];
        readRows(firstRow, count, in -> {
            byte[] bytes = new byte[Math.min(values.length, CHUNK_VALUES) * Float.BYTES];
            FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int done = 0; done < values.length; ) {
                int n = Math.min(values.length - done, CHUNK_VALUES);
                in.readFully(bytes, 0, n * Float.BYTES);
                floats.get(0, values, done, n);
                done += n;
            }
        });
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw notFinite(firstRow, i, values[i]);
            }
        }
        return values;
    }

    private void checkRange(long firstRow, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows()) {
            throw new IndexOutOfBoundsException("rows [" + firstRow + ", " + (firstRow + count) + ") of "
                    + path + ", which has " + rows());
        }
    }

    /** What reads a range's values from the file, positioned at its first. */
    @FunctionalInterface
    private interface RangeReader {
        void read(FSDataInputStream in) throws IOException;
    }

    /**
     * Opens the file at row {@code firstRow} and has {@code reader} read {@code count} rows from there
     * ({@link #checkRange} checked).
     *
     * @throws InputException naming the file when it ends early or cannot be read
     */
    private void readRows(long firstRow, int count, RangeReader reader) {
        Path p = new Path(path);
        try (FSDataInputStream in = HadoopFiles.fileSystem(p, conf.get()).open(p)) {
            in.seek(header.dataOffset() + firstRow * cols() * header.itemBytes());
            reader.read(in);
        } catch (EOFException e) {
            throw new InputException(path, 0, "truncated: the file ends before row " + (firstRow + count - 1));
        } catch (IOException e) {
            throw new InputException(path, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** Value {@code i} of the range from {@code firstRow}, {@code v}, is NaN or infinite: the row and column. */
    private InputException notFinite(long firstRow, int i, double v) {
        int cols = cols();
        return new InputException(InputError.atRow(path, firstRow + i / cols,
                (Double.isNaN(v) ? "NaN" : v > 0 ? "infinity" : "-infinity") + " in column " + (i % cols)));
    }

    /** The whole matrix, for small ones such as W. */
    public Matrix readAll() {
        if ((long) rows() * cols() > Integer.MAX_VALUE - 8) {
            throw new InputException(path, 0, "too large to hold in memory as one matrix (" + header.shapeText() + ")");
        }
        return new Matrix((int) rows(), cols(), read(0, (int) rows()));
    }

    private void readValues(FSDataInputStream in, double[] dest, int offset, int count) throws IOException {
        int item = header.itemBytes();
        byte[] bytes = new byte[Math.min(count, CHUNK_VALUES) * item];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_VALUES);
            in.readFully(bytes, 0, n * item);
            if (header.float32()) {
                FloatBuffer floats = buffer.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    dest[offset + done + i] = floats.get(i);
                }
            } else {
                DoubleBuffer doubles = buffer.asDoubleBuffer();
                doubles.get(dest, offset + done, n);
            }
            done += n;
        }
    }

    private void requireFinite(long firstRow, int count, double[] values, int offset) {
        for (int i = 0; i < count * cols(); i++) {
            if (!Double.isFinite(values[offset + i])) {
                throw notFinite(firstRow, i, values[offset + i]);
            }
        }
    }
}
