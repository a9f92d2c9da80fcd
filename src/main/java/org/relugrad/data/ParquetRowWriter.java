package org.relugrad.data;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes one partition's rows as a Parquet file with the columns {@code row} (long, the 0-based input row) and the
 * gradient's row as {@code array<double>} (named dX or dY), in the standard three-level list layout that Spark SQL
 * writes and reads. It uses the Parquet library Spark SQL's own writer is built on, inside the task that computed
 * the rows, so the rows are written in the same pass and committed like every other part.
 */
final class ParquetRowWriter extends PartWriter {
    private final ParquetWriter<Row> out;
    private final int cols;
    private final Row row = new Row();

    ParquetRowWriter(Path part, Configuration conf, String column, int cols) throws IOException {
        super(part.toString(), ANY_ROWS);
        this.cols = cols;
        this.out = new Builder(HadoopOutputFile.fromPath(part, conf), new RowSupport(column))
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
    }

    @Override
    protected void writeRows(long firstRow, int rows, double[] values) throws IOException {
        row.values = values;
        for (int r = 0; r < rows; r++) {
            row.index = firstRow + r;
            row.offset = r * cols;
            row.cols = cols;
            out.write(row);
        }
    }

    @Override
    protected void closeOutput() throws IOException {
        out.close();
    }

    /** One output row: its index and where its values lie in the block's array. */
    static final class Row {
        long index;
        double[] values;
        int offset;
        int cols;
    }

    private static final class RowSupport extends WriteSupport<Row> {
        private final String column;
        private RecordConsumer consumer;

        RowSupport(String column) {
            this.column = column;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            MessageType schema = MessageTypeParser.parseMessageType("message " + column + " { required int64 row; "
                    + "required group " + column + " (LIST) { repeated group list { required double element; } } }");
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row r) {
            consumer.startMessage();
            consumer.startField("row", 0);
            consumer.addLong(r.index);
            consumer.endField("row", 0);
            consumer.startField(column, 1);
            consumer.startGroup();
            consumer.startField("list", 0);
            for (int c = 0; c < r.cols; c++) {
                consumer.startGroup();
                consumer.startField("element", 0);
                consumer.addDouble(r.values[r.offset + c]);
                consumer.endField("element", 0);
                consumer.endGroup();
            }
            consumer.endField("list", 0);
            consumer.endGroup();
            consumer.endField(column, 1);
            consumer.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final RowSupport support;

        Builder(org.apache.parquet.io.OutputFile file, RowSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return support;
        }
    }
}
