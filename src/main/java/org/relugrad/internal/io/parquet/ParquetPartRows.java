package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.StoredRows;
import org.relugrad.internal.io.TextFile;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * relugrad's Parquet parts of ∂f/∂X or ∂f/∂Y (columns {@code row}, the 0-based input row, and the gradient's row as
 * array&lt;double&gt; named after it), read by row range: the parts in name order hold the rows in order, and each
 * row's {@code row} must be the row it stands for. The driver reads the footers; each task reads the row groups of
 * its own rows, through Parquet's column pages.
 */
public final class ParquetPartRows implements StoredRows {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String column;
    private final String[] paths;
    private final String[] names;
    /** Each file's row groups' row counts. */
    private final long[][] groupRows;
    private final long rows;
    private final int cols;

    /**
     * Reads the parts' footers, checks their schema and takes the width from the first row.
     *
     * @param column the gradient's column: dX or dY
     * @throws InputException naming a part that cannot be read or lacks the columns
     */
    public ParquetPartRows(String name, String column, List<TextFile> files, Configuration conf) {
        this.name = name;
        this.column = column;
        this.paths = files.stream().map(TextFile::path).toArray(String[]::new);
        this.names = files.stream().map(TextFile::name).toArray(String[]::new);
        this.groupRows = new long[paths.length][];
        long total = 0;
        for (int f = 0; f < paths.length; f++) {
            try (ParquetFileReader reader = ParquetFooter.open(paths[f], names[f], conf)) {
                new Columns(reader.getFooter().getFileMetaData().getSchema(), f);
                List<BlockMetaData> groups = reader.getRowGroups();
                groupRows[f] = groups.stream().mapToLong(BlockMetaData::getRowCount).toArray();
                total += Arrays.stream(groupRows[f]).sum();
            } catch (IOException e) {
                throw new InputException(names[f], 0, "cannot be read as Parquet: " + e.getMessage());
            }
        }
        this.rows = total;
        this.cols = total == 0 ? 0 : firstRowWidth(conf);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** The length of the first row's list: the tensor's width. */
    private int firstRowWidth(Configuration conf) {
        double[] one = new double[1];
        try (PartCursor cursor = new PartCursor(0, conf, 1)) {
            cursor.openGroupOf(0);
            return cursor.values.nextRow(one, 0);
        } catch (IOException e) {
            throw new InputException(name, 0, "cannot be read as Parquet: " + e.getMessage());
        }
    }

    @Override
    public Cursor open(long firstRow, Configuration conf) {
        return new PartCursor(firstRow, conf, cols);
    }

    /** Where the row column and the gradient's values are in a part, checked against what relugrad writes. */
    private final class Columns {
        final ColumnDescriptor row;
        final ColumnDescriptor values;
        final int nullDef;
        final int listDef;

        Columns(MessageType schema, int f) {
            boolean typed = schema.containsField("row") && schema.containsField(column)
                    && List.of("bigint", "int").contains(ParquetColumns.sqlType(schema.getType("row")))
                    && ParquetColumns.sqlType(schema.getType(column)).equals("array<double>");
            if (!typed) {
                throw new InputException(names[f], 0, "needs the columns row (bigint) and " + column
                        + " (array<double>), as relugrad writes them; the part has " + ParquetColumns.sqlType(schema));
            }
            this.row = schema.getColumnDescription(new String[] {"row"});
            Type field = schema.getType(column);
            this.values = schema.getColumns().stream().filter(c -> c.getPath()[0].equals(column)).findFirst()
                    .orElseThrow();
            int repeatedAt = field.isRepetition(Type.Repetition.REPEATED) ? 1 : 2;
            this.listDef = schema.getMaxDefinitionLevel(Arrays.copyOf(values.getPath(), repeatedAt));
            this.nullDef = repeatedAt == 1 ? 0 : schema.getMaxDefinitionLevel(new String[] {column});
        }
    }

    /** Reads rows in order from one row on, a row group at a time. */
    private final class PartCursor implements Cursor {
        private final Configuration conf;
        private final int width;
        private final long[] number = new long[1];
        private long next;
        private int file = -1;
        private long left;
        private ParquetFileReader reader;
        private Columns columns;
        private PageReadStore pages;
        private ParquetColumnChunk rowNumbers;
        ParquetColumnChunk values;

        PartCursor(long firstRow, Configuration conf, int width) {
            this.next = firstRow;
            this.conf = conf;
            this.width = width;
        }

        @Override
        public void read(int count, double[] dest) {
            try {
                for (int r = 0; r < count; r++, next++, left--) {
                    if (left == 0) {
                        openGroupOf(next);
                    }
                    if (!rowNumbers.nextLong(number, 0) || number[0] != next) {
                        throw new InputException(InputError.atRow(name, next, "the part " + names[file]
                                + " holds row " + number[0] + " here: the parts must hold every row once, in order"));
                    }
                    int length = values.nextRow(dest, r * width);
                    if (length != width || values.nullElement() >= 0) {
                        throw new InputException(InputError.atRow(name, next, column + " has "
                                + (length == ParquetColumnChunk.NULL ? "no list" : length + " values")
                                + (values.nullElement() >= 0 ? " with a null" : "") + " in " + names[file]
                                + ", expected " + width));
                    }
                }
            } catch (IOException e) {
                throw new InputException(names[Math.max(file, 0)], 0, "cannot be read as Parquet: " + e.getMessage());
            }
        }

        /** Opens the row group holding global row {@code row} and skips its rows before it. */
        void openGroupOf(long row) throws IOException {
            long first = 0;
            for (int f = 0; f < groupRows.length; f++) {
                for (int g = 0; g < groupRows[f].length; g++) {
                    if (row < first + groupRows[f][g]) {
                        openGroup(f, g);
                        rowNumbers.skipRows(row - first);
                        values.skipRows(row - first);
                        left = groupRows[f][g] - (row - first);
                        return;
                    }
                    first += groupRows[f][g];
                }
            }
            throw new InputException(name, 0, "ended before row " + row);
        }

        private void openGroup(int f, int g) throws IOException {
            closeGroup();
            if (f != file) {
                close();
                reader = ParquetFooter.open(paths[f], names[f], conf);
                columns = new Columns(reader.getFooter().getFileMetaData().getSchema(), f);
                reader.setRequestedSchema(List.of(columns.row, columns.values));
                file = f;
            }
            pages = reader.readRowGroup(g);
            rowNumbers = new ParquetColumnChunk(columns.row, pages.getPageReader(columns.row), 0, 0, 1);
            values = new ParquetColumnChunk(columns.values, pages.getPageReader(columns.values), columns.nullDef,
                    columns.listDef, width);
        }

        private void closeGroup() {
            if (pages != null) {
                pages.close();
                pages = null;
            }
        }

        @Override
        public void close() {
            closeGroup();
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // Only read: closing loses nothing.
                }
                reader = null;
                file = -1;
            }
        }
    }
}
