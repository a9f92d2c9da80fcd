package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputException;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What the driver keeps of one Parquet file's footer: the row count of each row group and, with a row column, each
 * row group's least and greatest row number where its statistics tell them. Reading it checks the file's schema.
 *
 * @param path the file's full path; {@code name} as the user would name it
 * @param rowMin each row group's least row number, or {@link Long#MAX_VALUE} where its statistics do not tell (or
 *     it holds nulls); null without a row column
 * @param float32 whether the file's columns of X and Y all hold float32 values
 */
record ParquetFooter(String path, String name, long[] groupRows, long[] rowMin, long[] rowMax, boolean float32)
        implements Serializable {

    /** Reads the footer of one file of {@code input}'s table and checks its schema. */
    static ParquetFooter read(String path, String name, ParquetInput input, Configuration conf) {
        try (ParquetFileReader reader = open(path, name, conf)) {
            ParquetColumns columns = input.columns(reader.getFooter().getFileMetaData().getSchema());
            List<BlockMetaData> groups = reader.getRowGroups();
            long[] rows = new long[groups.size()];
            long[] min = columns.row == null ? null : new long[groups.size()];
            long[] max = columns.row == null ? null : new long[groups.size()];
            for (int g = 0; g < rows.length; g++) {
                rows[g] = groups.get(g).getRowCount();
                if (columns.row != null) {
                    rowRange(groups.get(g), columns.row.getPath(), g, min, max);
                }
            }
            return new ParquetFooter(path, name, rows, min, max, columns.float32);
        } catch (IOException e) {
            throw new InputException(name, 0, "cannot be read as Parquet: " + e.getMessage());
        }
    }

    /** Opens a file of the table for reading its footer. */
    static ParquetFileReader open(String path, String name, Configuration conf) {
        return open(path, name, conf, new ParquetBuffers());
    }

    /**
     * Opens a file of the table for reading, its row groups into {@code buffers}. Not through Hadoop's vectored
     * reads, which take their buffers from a pool of their own and never give them back to {@code buffers}.
     */
    static ParquetFileReader open(String path, String name, Configuration conf, ParquetBuffers buffers) {
        try {
            return ParquetFileReader.open(HadoopInputFile.fromPath(new Path(path), conf),
                    HadoopReadOptions.builder(conf).withAllocator(buffers).withUseHadoopVectoredIo(false).build());
        } catch (IOException | RuntimeException e) {
            // Not Parquet at all: parquet-hadoop says so with a RuntimeException.
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw new InputException(name, 0, "cannot be read as Parquet: " + message);
        }
    }

    private static void rowRange(BlockMetaData group, String[] path, int g, long[] min, long[] max) {
        min[g] = Long.MAX_VALUE;
        max[g] = Long.MIN_VALUE;
        for (ColumnChunkMetaData chunk : group.getColumns()) {
            if (!java.util.Arrays.equals(chunk.getPath().toArray(), path)) {
                continue;
            }
            Statistics<?> stats = chunk.getStatistics();
            if (stats != null && stats.hasNonNullValue() && !stats.isEmpty() && stats.isNumNullsSet()
                    && stats.getNumNulls() == 0) {
                min[g] = ((Number) stats.genericGetMin()).longValue();
                max[g] = ((Number) stats.genericGetMax()).longValue();
            }
        }
    }

    long rows() {
        long total = 0;
        for (long r : groupRows) {
            total += r;
        }
        return total;
    }
}
