package org.relugrad.internal.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.Matrix;

/** A Parquet part read back by parquet-hadoop's own record reader: the schema Spark SQL writes, every value. */
class ParquetRowWriterTest {
    @TempDir
    Path tmp;

    @Test
    void rowsWrittenInSeveralBlocksReadBackAsRowAndArrayOfDoubleWithTheirBits() throws Exception {
        Matrix dX = Fixture.matrix("npy/big", "dX.csv");
        org.apache.hadoop.fs.Path part = new org.apache.hadoop.fs.Path(tmp.resolve("part-00003.parquet").toString());
        ParquetRowWriter writer = new ParquetRowWriter(part, new Configuration(), "dX", dX.cols());
        long firstRow = 1000;
        for (int from = 0; from < dX.rows(); from += 37) {
            int count = Math.min(37, dX.rows() - from);
            double[] block = java.util.Arrays.copyOfRange(dX.values(), from * dX.cols(), (from + count) * dX.cols());
            writer.write(firstRow + from, count, block);
        }
        writer.finish();

        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(part, new Configuration()))) {
            assertEquals(MessageTypeParser.parseMessageType("message dX { required int64 row; required group dX "
                    + "(LIST) { repeated group list { required double element; } } }"),
                    footer.getFooter().getFileMetaData().getSchema());
        }
        try (ParquetReader<Group> in = ParquetReader.builder(new GroupReadSupport(), part).build()) {
            for (int r = 0; r < dX.rows(); r++) {
                Group row = in.read();
                assertEquals(firstRow + r, row.getLong("row", 0));
                Group list = row.getGroup("dX", 0);
                assertEquals(dX.cols(), list.getFieldRepetitionCount("list"));
                for (int c = 0; c < dX.cols(); c++) {
                    assertEquals(Double.doubleToRawLongBits(dX.get(r, c)),
                            Double.doubleToRawLongBits(list.getGroup("list", c).getDouble("element", 0)));
                }
            }
            assertEquals(null, in.read());
        }
    }
}
