package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.PartWriter;
import org.relugrad.internal.io.RowWriter;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.relugrad.internal.kernel.Output;

/**
 * One DIR/dX.npy and one DIR/dY.npy for all rows, written by the tasks in parallel, that {@code np.load} reads
 * directly. Where the file system allows positioned writes (a local or locally mounted shared disk), the driver
 * writes the header and sizes the file, and each task writes its rows at their offset, header + firstRow·cols·8; a
 * retried task rewrites the same bytes. Elsewhere (HDFS, object stores) each task writes its rows as a headerless
 * part and the driver streams the parts, in row order, after the header: a buffer at a time, never all rows at once.
 * The file is built under DIR/_temporary and moved into place by the commit.
 */
public final class NpySingleFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int COPY_BUFFER = 1 << 20;

    private final boolean positioned;
    private final Map<Output, long[]> shapes = new EnumMap<>(Output.class);

    /** @param positioned whether tasks write into one preallocated file (the file system must be local) */
    public NpySingleFile(boolean positioned) {
        this.positioned = positioned;
    }

    /** Whether {@code fs} takes positioned writes into an existing file: the local file system does. */
    public static boolean allowsPositionedWrites(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    /** On the driver: remembers the shape; in positioned mode, writes the header and sizes the file. */
    public void begin(FileSystem fs, Path temporary, Output tensor, long rows, int cols) throws IOException {
        shapes.put(tensor, new long[] {rows, cols});
        if (positioned) {
            byte[] header = NpyHeader.float64(rows, cols);
            File file = localFile(fs, building(temporary, tensor));
            try (RandomAccessFile out = new RandomAccessFile(file, "rw")) {
                out.setLength(0);
                out.write(header);
                out.setLength(header.length + rows * cols * Double.BYTES);
            }
        }
    }

    /** In a task: a writer for the rows from {@code firstRow} on, at their place in the one file or in a part. */
    public RowWriter open(FileSystem fs, Path temporary, Output tensor, int partition, long attemptId, long firstRow,
                   long rows, int cols) throws IOException {
        if (positioned) {
            File file = localFile(fs, building(temporary, tensor));
            long offset = NpyHeader.float64(shapes.get(tensor)[0], cols).length + firstRow * cols * Double.BYTES;
            return new Positioned(file, offset, rows, cols);
        }
        Path part = new Path(temporary, tensor.label() + "/" + String.format("part-%05d.attempt-%d", partition, attemptId));
        return new NpyRowWriter(fs.create(part, true), part.toString(), rows, cols, false);
    }

    /** On the driver: moves the one file into place, or assembles it from the parts in partition order. */
    public void commit(FileSystem fs, Path temporary, Path dir, Output tensor, SortedMap<Integer, String> parts)
            throws IOException {
        Path target = new Path(dir, tensor.label() + ".npy");
        if (positioned) {
            if (!fs.rename(building(temporary, tensor), target)) {
                throw new IOException("could not move " + building(temporary, tensor) + " to " + target);
            }
            return;
        }
        long[] shape = shapes.get(tensor);
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = fs.create(target, true)) {
            out.write(NpyHeader.float64(shape[0], (int) shape[1]));
            for (String part : parts.values()) {
                try (InputStream in = fs.open(new Path(part))) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        out.write(buffer, 0, n);
                    }
                }
                fs.delete(new Path(part), false);
            }
        }
    }

    private static Path building(Path temporary, Output tensor) {
        return new Path(temporary, tensor.label() + ".npy");
    }

    private static File localFile(FileSystem fs, Path path) {
        return fs instanceof LocalFileSystem local ? local.pathToFile(path) : ((RawLocalFileSystem) fs).pathToFile(path);
    }

    /** Writes rows straight to their place in the preallocated file. */
    private static final class Positioned extends PartWriter {
        private final FileChannel channel;
        private final int cols;
        private final ByteBuffer buffer;
        private long position;

        Positioned(File file, long offset, long rows, int cols) throws IOException {
            super(file.toString(), rows);
            this.channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE);
            this.position = offset;
            this.cols = cols;
            this.buffer = ByteBuffer.allocate(Math.max(cols, 1 << 14) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        protected void writeRows(long firstRow, int count, double[] values) throws IOException {
            NpyValues.write(values, count * cols, buffer, (bytes, offset, length) -> {
                ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, length);
                while (chunk.hasRemaining()) {
                    position += channel.write(chunk, position);
                }
            });
        }

        @Override
        protected void closeOutput() throws IOException {
            channel.close();
        }
    }
}
