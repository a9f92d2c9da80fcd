package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * One row group of a table's file, open for reading its rows in order into a block's arrays: only the columns of
 * X, Y (and the row column) are read, each through its own {@link ParquetColumnChunk}, so no object is made per
 * row. Reading checks every value: nulls, wrong-length lists, NaN and ±infinity, and the row column.
 */
final class ParquetRowGroup implements AutoCloseable {
    private final ParquetInput input;
    private final ParquetFooter file;
    private final ParquetColumns columns;
    private final PageReadStore pages;
    private final ParquetColumnChunk row;
    private final List<ParquetColumnChunk> values = new ArrayList<>();
    private final long firstRow;
    private final int group;
    private final long[] number = new long[1];
    /** Rows of the group read or skipped so far. */
    private long position;

    /** Reads row group {@code group} of file {@code f} of the table, whose open reader is {@code reader}. */
    ParquetRowGroup(ParquetInput input, ParquetFileReader reader, ParquetColumns columns, int f, int group)
            throws IOException {
        this.input = input;
        this.file = input.file(f);
        this.columns = columns;
        this.firstRow = input.firstRow(f, group);
        this.group = group;
        this.pages = reader.readRowGroup(group);
        if (pages == null || pages.getRowCount() != file.groupRows()[group]) {
            throw new InputException(file.name(), 0, "has changed since its footer was read (row group " + group
                    + ")");
        }
        this.row = columns.row == null ? null
                : new ParquetColumnChunk(columns.row, pages.getPageReader(columns.row), 0, 0, 1);
        for (ParquetColumns.Column c : columns.values) {
            int width = !c.array() ? 1 : c.ofY() ? input.k() : input.d();
            values.add(new ParquetColumnChunk(c.descriptor(), pages.getPageReader(c.descriptor()), c.nullDef(),
                    c.listDef(), width));
        }
    }

    /** Skips the group's next {@code rows} rows. */
    void skip(long rows) throws IOException {
        if (row != null) {
            row.skipRows(rows);
        }
        for (ParquetColumnChunk c : values) {
            c.skipRows(rows);
        }
        position += rows;
    }

    /**
     * Reads the group's next {@code count} rows into rows {@code at …} of {@code x} (d wide) and {@code y} (k
     * wide). With {@code numbers}, the row column's values go there; without, each must be its row's place.
     *
     * @return the first bad value's error, by row (X's values before Y's), or null
     */
    InputError read(int count, double[] x, double[] y, int at, long[] numbers) throws IOException {
        FirstError first = new FirstError();
        if (row != null) {
            readRowNumbers(count, at, numbers, first);
        }
        int d = input.d();
        int k = input.k();
        for (int c = 0; c < values.size(); c++) {
            ParquetColumns.Column column = columns.values.get(c);
            readColumn(column, values.get(c), column.ofY() ? y : x, column.ofY() ? k : d, count, at, first);
        }
        checkFinite(x, at, count, d, false, first);
        checkFinite(y, at, count, k, true, first);
        long groupRow = position;
        position += count;
        return first.error(this, at, groupRow, numbers);
    }

    /** One column's next {@code count} rows into rows {@code at …} of {@code dest}, rows {@code width} wide. */
    private void readColumn(ParquetColumns.Column column, ParquetColumnChunk chunk, double[] dest, int width,
                            int count, int at, FirstError first) throws IOException {
        for (int r = 0; r < count; ) {
            int copied = column.array() ? chunk.readRegular(dest, (at + r) * width, count - r) : 0;
            if (copied > 0) {
                r += copied;
                continue;
            }
            int length = chunk.nextRow(dest, (at + r) * width + column.first());
            if (column.array()) {
                checkList(length, chunk.nullElement(), column, width, at + r, first);
            } else if (length == ParquetColumnChunk.NULL) {
                first.offer(at + r, position(column, 0), column.name() + " is null; values must be finite "
                        + "numbers");
            }
            r++;
        }
    }

    private void readRowNumbers(int count, int at, long[] numbers, FirstError first) throws IOException {
        for (int r = 0; r < count; r++) {
            if (!row.nextLong(number, 0)) {
                first.offer(at + r, -1, "the row column '" + input.rowColumn() + "' is null");
                continue;
            }
            if (numbers != null) {
                numbers[at + r] = number[0];
            } else if (number[0] != firstRow + position + r) {
                first.offer(at + r, -1, "the row column '" + input.rowColumn() + "' holds " + number[0]
                        + " here: its statistics said it numbers the rows in file order, but it does not (sort "
                        + "the table by it, or leave out the row column to number the rows by their place)");
            }
        }
    }

    private void checkList(int length, int nullElement, ParquetColumns.Column column, int width, int r,
                           FirstError first) {
        if (length == ParquetColumnChunk.NULL) {
            first.offer(r, position(column, -1), column.name() + " is null");
        } else if (length != width) {
            first.offer(r, position(column, -1), column.name() + " has " + length + " values, expected "
                    + (column.ofY() ? "k = " + width + ", the columns of " : "d = " + width + ", the rows of ")
                    + input.wFile());
        } else if (nullElement >= 0) {
            first.offer(r, position(column, nullElement), column.name() + "[" + nullElement
                    + "] is null; values must be finite numbers");
        }
    }

    private void checkFinite(double[] values, int at, int count, int width, boolean ofY, FirstError first) {
        for (int i = at * width; i < (at + count) * width; i++) {
            if (!Double.isFinite(values[i])) {
                int r = i / width;
                int c = i % width;
                String name = columns.arrays ? (ofY ? "y" : "x") + "[" + c + "]" : (ofY ? "y" : "x") + c;
                first.offer(r, (ofY ? input.d() + 1 : 0) + c + (columns.arrays ? 1 : 0), name + " is "
                        + values[i] + "; values must be finite numbers");
                return;
            }
        }
    }

    /** Where a value stands among a row's checks: the row column, then X's list and values, then Y's. */
    private int position(ParquetColumns.Column column, int element) {
        int arrays = columns.arrays ? 1 : 0;
        int base = column.ofY() ? input.d() + arrays : 0;
        return base + column.first() + arrays + element;
    }

    @Override
    public void close() {
        pages.close();
    }

    /** The earliest problem met, by row and then by its place in the row. */
    private static final class FirstError {
        private int row = Integer.MAX_VALUE;
        private int order;
        private String problem;

        void offer(int r, int place, String what) {
            if (r < row || r == row && place < order) {
                row = r;
                order = place;
                problem = what;
            }
        }

        /**
         * @param at the block row of the first row read, {@code groupRow} that row's place in the group
         * @param numbers the rows' numbers, or null when they are numbered by their place
         */
        InputError error(ParquetRowGroup group, int at, long groupRow, long[] numbers) {
            if (problem == null) {
                return null;
            }
            long inGroup = groupRow + (row - at);
            String where = " (" + group.file.name() + ", row group " + group.group + ", its row " + inGroup + ")";
            if (numbers == null) {
                return InputError.atRow(group.input.table(), group.firstRow + inGroup, problem + where);
            }
            // A bad row number has no row to name; a bad value is named by its row's number.
            return order < 0 ? new InputError(group.input.table(), 0, problem + where)
                    : InputError.atRow(group.input.table(), numbers[row], problem + where);
        }
    }
}
