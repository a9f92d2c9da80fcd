package org.relugrad.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relugrad.data.InputError;
import org.relugrad.data.InputException;
import org.relugrad.data.ParquetInput;
import org.relugrad.math.RowBlock;
import scala.Tuple2;

/**
 * Row blocks from a Parquet table, read through Spark SQL. Every table row gets its global row: its row index
 * column, or else its file's offset (files in name order) plus its index within the file (Spark's
 * {@code _metadata.file_path} and {@code _metadata.row_index}, so any split of any file numbers its rows alike).
 * Then one shuffle brings each block's rows to the partition that owns the block, where they become the row blocks
 * the kernel takes from any input.
 */
final class ParquetBlocks {
    private final ParquetInput input;
    private final Dataset<Row> selected;
    private final Numbering numbering;
    private final boolean arrays;
    private final long rows;

    /**
     * Opens the table, checks its columns against W's shape (d × k) and counts its rows.
     *
     * @throws InputException naming the table when it cannot be read, lacks the columns, is empty, or its row
     *     column does not number the rows 0 … n−1 once each
     */
    ParquetBlocks(JavaSparkContext sc, ParquetInput input, int d, int k) {
        this.input = input;
        String table = input.table();
        Dataset<Row> df = read(SparkSession.builder().config(sc.getConf()).getOrCreate(), table);
        StructType schema = df.schema();
        this.arrays = Arrays.asList(schema.fieldNames()).containsAll(List.of("x", "y"));
        List<Column> columns = new ArrayList<>();
        if (input.rowColumn() != null) {
            this.rows = checkRowColumn(df, schema, input.rowColumn(), table);
            this.numbering = new Numbering(null, rows);
            columns.add(col(input.rowColumn()).cast(DataTypes.LongType));
        } else {
            this.numbering = fileNumbering(df);
            this.rows = numbering.total;
            columns.add(col("_metadata.file_path"));
            columns.add(col("_metadata.row_index"));
        }
        if (rows == 0) {
            throw new InputException(table, 0, "has no rows");
        }
        for (String name : valueColumns(d, k)) {
            DataType found = Arrays.asList(schema.fieldNames()).contains(name) ? schema.apply(name).dataType() : null;
            if (!fits(found)) {
                throw new InputException(table, 0, "needs the columns x and y (array<double>), or x0..x" + (d - 1)
                        + " and y0..y" + (k - 1) + " (double) for W of " + d + " x " + k + " (" + input.wFile()
                        + "); column " + name + (found == null ? " is missing" : " is " + found.simpleString())
                        + "; the table has " + schema.simpleString());
            }
            columns.add(col(name));
        }
        this.selected = df.select(columns.toArray(Column[]::new));
    }

    long rows() {
        return rows;
    }

    /** The blocks of {@code plan}, each in the partition the plan gives it. */
    JavaRDD<RowBlock> blocks(BlockPlan plan, int d, int k) {
        TableRows split = new TableRows(numbering, arrays, d, k, input.table(), input.wFile());
        String table = input.table();
        JavaPairRDD<Long, ParsedRow> keyed = selected.javaRDD().flatMapToPair(split::of);
        return keyed.repartitionAndSortWithinPartitions(new BlockPartitioner(plan))
                .mapPartitions(sorted -> new BlockAssembler(sorted, plan, table, table, d, k));
    }

    /** array&lt;double&gt; (nulls allowed or not) in the array layout, double in the column layout. */
    private boolean fits(DataType found) {
        return arrays ? found instanceof ArrayType array && array.elementType().equals(DataTypes.DoubleType)
                : DataTypes.DoubleType.equals(found);
    }

    private List<String> valueColumns(int d, int k) {
        if (arrays) {
            return List.of("x", "y");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            names.add("x" + i);
        }
        for (int i = 0; i < k; i++) {
            names.add("y" + i);
        }
        return names;
    }

    private static Dataset<Row> read(SparkSession spark, String table) {
        try {
            return spark.read().parquet(table);
        } catch (Exception e) {
            // Spark's AnalysisException (a missing path, no schema) is a checked exception thrown from Scala.
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw new InputException(table, 0, "cannot be read as Parquet: " + message);
        }
    }

    /** n, after checking that the row column holds each of 0 … n−1 exactly once. */
    private static long checkRowColumn(Dataset<Row> df, StructType schema, String name, String table) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new InputException(table, 0, "has no row column '" + name + "'; the table has "
                    + schema.simpleString());
        }
        DataType type = schema.apply(name).dataType();
        if (!type.equals(DataTypes.LongType) && !type.equals(DataTypes.IntegerType)) {
            throw new InputException(table, 0, "the row column '" + name + "' is " + type.simpleString()
                    + "; it must be an integer (bigint or int)");
        }
        Row stats = df.agg(count(lit(1)), count(col(name)), min(col(name)).cast(DataTypes.LongType),
                max(col(name)).cast(DataTypes.LongType), count_distinct(col(name))).first();
        long n = stats.getLong(0);
        if (n > 0 && (stats.getLong(1) != n || stats.getLong(2) != 0 || stats.getLong(3) != n - 1
                || stats.getLong(4) != n)) {
            throw new InputException(table, 0, "the row column '" + name + "' must number the " + n + " rows 0.."
                    + (n - 1) + " once each; it has " + (n - stats.getLong(1)) + " nulls, " + stats.getLong(4)
                    + " distinct values, from " + stats.get(2) + " to " + stats.get(3));
        }
        return n;
    }

    /** Each file's first global row: files in name order, each file's rows counted by one small job. */
    private static Numbering fileNumbering(Dataset<Row> df) {
        List<Row> counts = new ArrayList<>(df.groupBy(col("_metadata.file_path")).count().collectAsList());
        counts.sort((a, b) -> a.getString(0).compareTo(b.getString(0)));
        Map<String, Long> offsets = new HashMap<>();
        long total = 0;
        for (Row c : counts) {
            offsets.put(c.getString(0), total);
            total += c.getLong(1);
        }
        return new Numbering(offsets, total);
    }

    /** How a selected row's global row is found: its first column, or its file's offset plus its index in it. */
    private static final class Numbering implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, Long> fileOffsets;
        private final long total;

        /** @param fileOffsets each file's first row, or null when the first column is the row itself */
        Numbering(Map<String, Long> fileOffsets, long total) {
            this.fileOffsets = fileOffsets;
            this.total = total;
        }

        int width() {
            return fileOffsets == null ? 1 : 2;
        }

        long of(Row row) {
            return fileOffsets == null ? row.getLong(0) : fileOffsets.get(row.getString(0)) + row.getLong(1);
        }
    }

    /** Turns one table row into X's and Y's keyed rows (2·row and 2·row + 1), or errors naming the row. */
    private static final class TableRows implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Numbering numbering;
        private final boolean arrays;
        private final int d;
        private final int k;
        private final String table;
        private final String wFile;

        TableRows(Numbering numbering, boolean arrays, int d, int k, String table, String wFile) {
            this.numbering = numbering;
            this.arrays = arrays;
            this.d = d;
            this.k = k;
            this.table = table;
            this.wFile = wFile;
        }

        Iterator<Tuple2<Long, ParsedRow>> of(Row row) {
            long r = numbering.of(row);
            int at = numbering.width();
            ParsedRow x = arrays ? fromArray(row, at, "x", d, r, "d = " + d + ", the rows of " + wFile)
                    : fromColumns(row, at, "x", d, r);
            ParsedRow y = arrays ? fromArray(row, at + 1, "y", k, r, "k = " + k + ", the columns of "
                    + wFile) : fromColumns(row, at + d, "y", k, r);
            return List.of(new Tuple2<>(2 * r, x), new Tuple2<>(2 * r + 1, y)).iterator();
        }

        private ParsedRow fromArray(Row row, int index, String name, int width, long r, String what) {
            if (row.isNullAt(index)) {
                return failed(r, name + " is null");
            }
            List<Object> list = row.getList(index);
            if (list.size() != width) {
                return failed(r, name + " has " + list.size() + " values, expected " + what);
            }
            double[] values = new double[width];
            for (int c = 0; c < width; c++) {
                Object v = list.get(c);
                if (!(v instanceof Double value) || !Double.isFinite(value)) {
                    return failed(r, name + "[" + c + "] is " + v + "; values must be finite numbers");
                }
                values[c] = value;
            }
            return new ParsedRow(values, null);
        }

        private ParsedRow fromColumns(Row row, int first, String prefix, int width, long r) {
            double[] values = new double[width];
            for (int c = 0; c < width; c++) {
                if (row.isNullAt(first + c) || !Double.isFinite(row.getDouble(first + c))) {
                    return failed(r, prefix + c + " is " + (row.isNullAt(first + c) ? "null" : row.get(first + c))
                            + "; values must be finite numbers");
                }
                values[c] = row.getDouble(first + c);
            }
            return new ParsedRow(values, null);
        }

        private ParsedRow failed(long r, String problem) {
            return new ParsedRow(null, InputError.atRow(table, r, problem));
        }
    }

    /** One row of the table: its values, or why it could not be read. */
    static final class ParsedRow implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] values;
        final InputError error;

        ParsedRow(double[] values, InputError error) {
            this.values = values;
            this.error = error;
        }
    }

    /** Sends the rows of each block to the partition that owns the block. */
    static final class BlockPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final BlockPlan plan;

        BlockPartitioner(BlockPlan plan) {
            this.plan = plan;
        }

        @Override
        public int numPartitions() {
            return plan.partitions();
        }

        @Override
        public int getPartition(Object key) {
            return plan.partitionOf(plan.blockOf((Long) key >>> 1));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BlockPartitioner p && p.plan.rows() == plan.rows()
                    && p.plan.blockRows() == plan.blockRows() && p.plan.partitions() == plan.partitions();
        }

        @Override
        public int hashCode() {
            return Long.hashCode(plan.rows()) * 31 + plan.blockRows() * 17 + plan.partitions();
        }
    }

    /**
     * Turns the sorted rows of one partition (keyed 2·row for X, 2·row + 1 for Y) back into row blocks, one block
     * in memory at a time.
     */
    static final class BlockAssembler implements Iterator<RowBlock> {
        private final Iterator<Tuple2<Long, ParsedRow>> sorted;
        private final BlockPlan plan;
        private final String xName;
        private final String yName;
        private final int d;
        private final int k;
        private Tuple2<Long, ParsedRow> pending;

        /** @param xName the name of X's input, and {@code yName} of Y's, for errors */
        BlockAssembler(Iterator<Tuple2<Long, ParsedRow>> sorted, BlockPlan plan, String xName, String yName, int d,
                       int k) {
            this.sorted = sorted;
            this.plan = plan;
            this.xName = xName;
            this.yName = yName;
            this.d = d;
            this.k = k;
            this.pending = sorted.hasNext() ? sorted.next() : null;
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public RowBlock next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            long block = plan.blockOf(pending._1() >>> 1);
            long first = plan.firstRow(block);
            int rows = plan.rowsIn(block);
            double[] x = new double[rows * d];
            double[] y = new double[rows * k];
            long expected = 2 * first;
            while (pending != null && plan.blockOf(pending._1() >>> 1) == block) {
                long key = pending._1();
                ParsedRow parsed = pending._2();
                if (parsed.error != null) {
                    throw new InputException(parsed.error);
                }
                if (key != expected) {
                    throw missing(expected);
                }
                int r = (int) ((key >>> 1) - first);
                if ((key & 1) == 0) {
                    System.arraycopy(parsed.values, 0, x, r * d, d);
                } else {
                    System.arraycopy(parsed.values, 0, y, r * k, k);
                }
                expected++;
                pending = sorted.hasNext() ? sorted.next() : null;
            }
            if (expected != 2 * (first + rows)) {
                throw missing(expected);
            }
            return new RowBlock(first, rows, d, k, x, y);
        }

        /**
         * A gap: rows after a bad row are not read, so a gap only follows an error on an earlier row, which sorts
         * first and is the one reported.
         */
        private InputException missing(long key) {
            String file = (key & 1) == 0 ? xName : yName;
            return new InputException(file, (key >>> 1) + 1, "line missing after an earlier error");
        }
    }
}
