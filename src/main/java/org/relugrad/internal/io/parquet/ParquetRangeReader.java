package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowRangeInput;

import java.io.IOException;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Reads rows {@code [from, to)} of a Parquet table in order, block after block: the row groups that overlap the
 * range, one at a time, each file opened once, the rows before {@code from} in the first group skipped.
 */
final class ParquetRangeReader implements RowRangeInput.RangeReader {
    private final ParquetInput input;
    private final long to;
    private final ParquetBuffers buffers = new ParquetBuffers();
    private long next;
    private int file = -1;
    private int group;
    private ParquetFileReader reader;
    private ParquetColumns columns;
    private ParquetRowGroup rows;
    /** Rows left to read in {@link #rows}. */
    private long left;
    /** For a float32 table: the rows as read, before they are narrowed into the block's floats. */
    private double[] wideX = new double[0];
    private double[] wideY = new double[0];

    ParquetRangeReader(ParquetInput input, long from, long to) {
        this.input = input;
        this.next = from;
        this.to = to;
    }

    @Override
    public RowBlock next(int count, RowBlock previous) {
        if (count < 0 || next + count > to) {
            throw new IndexOutOfBoundsException("rows [" + next + ", " + (next + count) + ") of [.., " + to + ")");
        }
        int d = input.d();
        int k = input.k();
        boolean float32 = input.float32();
        double[] x;
        double[] y;
        if (float32) {
            // Read as doubles into buffers of the reader's own, then narrowed back to the table's floats (exactly).
            wideX = wideX.length >= count * d ? wideX : new double[count * d];
            wideY = wideY.length >= count * k ? wideY : new double[count * k];
            x = wideX;
            y = wideY;
        } else {
            boolean reuse = previous != null && !previous.float32() && previous.d() == d && previous.k() == k
                    && previous.x().length >= count * d && previous.y().length >= count * k;
            x = reuse ? previous.x() : new double[count * d];
            y = reuse ? previous.y() : new double[count * k];
        }
        long first = next;
        try {
            for (int done = 0; done < count; ) {
                if (left == 0) {
                    openGroupOf(next);
                }
                int take = (int) Math.min(count - done, left);
                InputError error = rows.read(take, x, y, done, null);
                if (error != null) {
                    throw new InputException(error);
                }
                done += take;
                next += take;
                left -= take;
            }
        } catch (IOException e) {
            throw new InputException(input.file(file).name(), 0, "cannot be read as Parquet: " + e.getMessage());
        }
        if (float32) {
            boolean reuse = previous != null && previous.float32() && previous.d() == d && previous.k() == k
                    && previous.xFloat().length >= count * d && previous.yFloat().length >= count * k;
            return new RowBlock(first, count, d, k, narrowed(x, count * d, reuse ? previous.xFloat() : null),
                    narrowed(y, count * k, reuse ? previous.yFloat() : null));
        }
        return new RowBlock(first, count, d, k, x, y);
    }

    /** {@code values[0 .. count)}, float32 values widened, as the floats they were; into {@code dest} unless null. */
    private static float[] narrowed(double[] values, int count, float[] dest) {
        float[] floats = dest != null ? dest : new float[count];
        for (int i = 0; i < count; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** Opens the row group that holds global row {@code row}, skipping its rows before it. */
    private void openGroupOf(long row) throws IOException {
        closeGroup();
        ParquetInput.Place place = input.place(row);
        if (place.file() != file) {
            closeFile();
            ParquetFooter footer = input.file(place.file());
            reader = ParquetFooter.open(footer.path(), footer.name(), input.conf(), buffers);
            if (reader.getRowGroups().size() != footer.groupRows().length) {
                throw new InputException(footer.name(), 0, "has changed since its footer was read");
            }
            columns = input.columns(reader.getFooter().getFileMetaData().getSchema());
            reader.setRequestedSchema(columns.descriptors());
            file = place.file();
        }
        group = place.group();
        rows = new ParquetRowGroup(input, reader, columns, file, group);
        rows.skip(place.row());
        left = input.file(file).groupRows()[group] - place.row();
    }

    private void closeGroup() {
        if (rows != null) {
            rows.close();
            rows = null;
        }
    }

    private void closeFile() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public void close() {
        closeGroup();
        try {
            closeFile();
        } catch (IOException e) {
            // Nothing was written: a failure to close a file read to the end loses nothing.
        }
    }
}
