package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.PartWriter;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes one partition's rows as a Parquet file with the columns {@code row} (long, the 0-based input row) and the
 * gradient's row as {@code array<double>} (named dX or dY), in the standard three-level list layout that Spark SQL
 * writes and reads, snappy-compressed. It hands the values straight to Parquet's column writers, with their
 * repetition and definition levels (a row starts a list: level 0; its other elements continue it: level 1), so no
 * record is assembled per row; plain encoding, since gradients and row numbers repeat too rarely for a dictionary.
 * It runs inside the task that computed the rows, which are committed like every other part.
 */
public final class ParquetRowWriter extends PartWriter {
    /** Row groups of about this many bytes before compression, as Spark SQL writes them. */
    private static final long ROW_GROUP_BYTES = 128L << 20;

    private final int cols;
    private final MessageType schema;
    private final ParquetProperties properties;
    private final CodecFactory codecs;
    private final ParquetFileWriter file;
    private final ColumnDescriptor rowColumn;
    private final ColumnDescriptor valueColumn;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private ColumnWriter rows;
    private ColumnWriter values;
    private long groupRows;

    public ParquetRowWriter(Path part, Configuration conf, String column, int cols) throws IOException {
        super(part.toString(), ANY_ROWS);
        this.cols = cols;
        this.schema = MessageTypeParser.parseMessageType("message " + column + " { required int64 row; "
                + "required group " + column + " (LIST) { repeated group list { required double element; } } }");
        this.properties = ParquetProperties.builder().withDictionaryEncoding(false).build();
        this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
        this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(part, conf), schema,
                ParquetFileWriter.Mode.OVERWRITE, ROW_GROUP_BYTES, 0, null, properties);
        this.rowColumn = schema.getColumnDescription(new String[] {"row"});
        this.valueColumn = schema.getColumnDescription(new String[] {column, "list", "element"});
        file.start();
        startGroup();
    }

    private void startGroup() {
        pages = new ColumnChunkPageWriteStore(codecs.getCompressor(CompressionCodecName.SNAPPY), schema,
                properties.getAllocator(), properties.getColumnIndexTruncateLength(),
                properties.getPageWriteChecksumEnabled());
        columns = properties.newColumnWriteStore(schema, pages);
        rows = columns.getColumnWriter(rowColumn);
        values = columns.getColumnWriter(valueColumn);
        groupRows = 0;
    }

    @Override
    protected void writeRows(long firstRow, int count, double[] block) throws IOException {
        for (int r = 0; r < count; r++) {
            rows.write(firstRow + r, 0, 0);
            int at = r * cols;
            values.write(block[at], 0, 1);
            for (int c = 1; c < cols; c++) {
                values.write(block[at + c], 1, 1);
            }
            columns.endRecord();
        }
        groupRows += count;
        if (columns.getBufferedSize() >= ROW_GROUP_BYTES) {
            flushGroup();
            startGroup();
        }
    }

    private void flushGroup() throws IOException {
        file.startBlock(groupRows);
        columns.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        columns.close();
        pages.close();
    }

    @Override
    protected void closeOutput() throws IOException {
        try {
            if (groupRows > 0) {
                flushGroup();
            } else {
                columns.close();
                pages.close();
            }
            file.end(Map.of());
        } finally {
            codecs.release();
        }
    }
}
