package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.NumberedRows;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * One file of a table read in stored order, a chunk of rows at a time, each row with its row column's number: for
 * a row column that does not number the rows in file order. A bad value or row number ends the file with a chunk
 * that holds only the error.
 */
final class ParquetStoredRows implements Iterator<NumberedRows> {
    private final ParquetInput input;
    private final int file;
    private final int chunkRows;
    private final ParquetFileReader reader;
    private final ParquetColumns columns;
    private ParquetRowGroup rows;
    private int group = -1;
    private long left;
    private boolean done;

    ParquetStoredRows(ParquetInput input, int file, int chunkRows) {
        this.input = input;
        this.file = file;
        this.chunkRows = chunkRows;
        ParquetFooter footer = input.file(file);
        this.reader = ParquetFooter.open(footer.path(), footer.name(), input.conf());
        this.columns = input.columns(reader.getFooter().getFileMetaData().getSchema());
        reader.setRequestedSchema(columns.descriptors());
    }

    @Override
    public boolean hasNext() {
        while (!done && left == 0) {
            closeGroup();
            if (++group == input.file(file).groupRows().length) {
                finish();
                break;
            }
            left = input.file(file).groupRows()[group];
        }
        return !done;
    }

    @Override
    public NumberedRows next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int count = (int) Math.min(chunkRows, left);
        long[] numbers = new long[count];
        double[] x = new double[count * input.d()];
        double[] y = new double[count * input.k()];
        try {
            if (rows == null) {
                rows = new ParquetRowGroup(input, reader, columns, file, group);
            }
            InputError error = rows.read(count, x, y, 0, numbers);
            left -= count;
            for (int i = 0; error == null && i < count; i++) {
                if (numbers[i] < 0 || numbers[i] >= input.rows()) {
                    error = input.misnumbered("it holds " + numbers[i] + " (" + input.file(file).name() + ")");
                }
            }
            if (error != null) {
                finish();
                return new NumberedRows(error);
            }
            return new NumberedRows(count, numbers, x, y);
        } catch (IOException e) {
            finish();
            return new NumberedRows(new InputError(input.file(file).name(), 0, "cannot be read as Parquet: "
                    + e.getMessage()));
        }
    }

    private void closeGroup() {
        if (rows != null) {
            rows.close();
            rows = null;
        }
    }

    private void finish() {
        done = true;
        closeGroup();
        try {
            reader.close();
        } catch (IOException e) {
            // Read to the end or given up on: closing can lose nothing.
        }
    }
}
