package org.relugrad.internal.engine.numbered;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRows;
import scala.Tuple2;

/**
 * A Dataset's rows as numbered rows of X and Y: X and Y from two columns of {@code array<double>}, Spark ML
 * {@code Vector} or {@code double} (a row of one value), rows numbered by an integer column holding 0 … n−1, or
 * else by their place in the Dataset (partition after partition, as {@code zipWithIndex} numbers them). Spark reads the Dataset as it is planned;
 * nothing is collected to the driver but its first row, whose widths give d and k.
 */
public final class DatasetRows {
    static final String SOURCE = "Dataset";

    private DatasetRows() {
    }

    /**
     * @param rowColumn the column that numbers the rows, or null for the Dataset's own order (which must then be
     *     the same each time Spark computes it: not, say, the order a shuffle left)
     * @throws InputException for a missing or mistyped column (the message lists the schema), or no rows
     */
    public static NumberedChunks of(Dataset<Row> rows, String xColumn, String yColumn, String rowColumn) {
        StructType schema = rows.schema();
        requireColumn(schema, xColumn, true);
        requireColumn(schema, yColumn, true);
        if (rowColumn != null) {
            requireColumn(schema, rowColumn, false);
        }
        Dataset<Row> selected = rowColumn == null
                ? rows.select(new Column(quoted(xColumn)), new Column(quoted(yColumn)))
                : rows.select(new Column(quoted(xColumn)), new Column(quoted(yColumn)),
                        new Column(quoted(rowColumn)).cast(DataTypes.LongType));
        List<Row> first = selected.takeAsList(1);
        if (first.isEmpty()) {
            throw new InputException(SOURCE, 0, "has no rows");
        }
        long firstNumber = rowColumn == null ? 0 : number(first.get(0), rowColumn);
        RowChunks.Names names = new RowChunks.Names(SOURCE, xColumn, yColumn, firstNumber);
        int d = width(first.get(0), 0, firstNumber, xColumn);
        int k = width(first.get(0), 1, firstNumber, yColumn);
        long n = selected.count();
        // Spark's internal rows, read as they are: a Row per row would box every value.
        JavaRDD<InternalRow> internal = selected.queryExecution().toRdd().toJavaRDD();
        Columns columns = new Columns(schema, xColumn, yColumn, names);
        JavaRDD<NumberedRows> chunks;
        if (rowColumn == null) {
            chunks = internal.zipWithIndex().mapPartitions((Iterator<Tuple2<InternalRow, Long>> part) ->
                    new RowChunks(map(part, t -> columns.row(t._1(), t._2())), names, d, k));
        } else {
            chunks = internal.mapPartitions((Iterator<InternalRow> part) ->
                    new RowChunks(map(part, r -> columns.row(r, columns.number(r, rowColumn))), names, d, k));
        }
        String description = "Dataset: x=" + xColumn + " y=" + yColumn + (rowColumn != null ? " row=" + rowColumn : "");
        NumberedBlocks.Misnumbered misnumbered = problem -> new InputError(SOURCE, 0,
                "column " + (rowColumn != null ? rowColumn : "row") + " does not number the rows 0 … n−1 once each: "
                        + problem);
        return new NumberedChunks(chunks, n, d, k, description, misnumbered);
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    private static void requireColumn(StructType schema, String name, boolean values) {
        StructField field = java.util.Arrays.stream(schema.fields()).filter(f -> f.name().equals(name))
                .findFirst().orElseThrow(() -> new InputException(SOURCE, 0, "has no column '" + name
                        + "'; its columns are " + schema.simpleString()));
        DataType type = field.dataType();
        boolean fits = values
                ? type instanceof VectorUDT || type == DataTypes.DoubleType
                        || type instanceof ArrayType a && a.elementType() == DataTypes.DoubleType
                : type == DataTypes.LongType || type == DataTypes.IntegerType || type == DataTypes.ShortType
                        || type == DataTypes.ByteType;
        if (!fits) {
            throw new InputException(SOURCE, 0, "column '" + name + "' is " + type.simpleString() + "; relugrad reads "
                    + (values ? "array<double>, a Spark ML Vector or double" : "an integer column") + " there");
        }
    }

    private static long number(Row row, String rowColumn) {
        Object value = row.get(2);
        if (value == null) {
            throw new InputException(SOURCE, 0, "column " + rowColumn + " is null in a row");
        }
        return ((Number) value).longValue();
    }

    /** Reads the selected columns (X, Y and the row number) of Spark's internal rows. */
    private static final class Columns implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private static final VectorUDT VECTOR = new VectorUDT();

        private final DataType xType;
        private final DataType yType;
        private final RowChunks.Names names;

        Columns(StructType schema, String xColumn, String yColumn, RowChunks.Names names) {
            this.xType = schema.apply(xColumn).dataType();
            this.yType = schema.apply(yColumn).dataType();
            this.names = names;
        }

        RowChunks.Row row(InternalRow row, long number) {
            return new RowChunks.Row(number, values(row, 0, xType, number, names.x()),
                    values(row, 1, yType, number, names.y()));
        }

        long number(InternalRow row, String rowColumn) {
            if (row.isNullAt(2)) {
                throw new InputException(SOURCE, 0, "column " + rowColumn + " is null in a row");
            }
            return row.getLong(2);
        }

        /** A column's values; null for a null cell. */
        private static double[] values(InternalRow row, int column, DataType type, long number, String name) {
            if (row.isNullAt(column)) {
                return null;
            }
            if (type == DataTypes.DoubleType) {
                return new double[] {row.getDouble(column)};
            }
            if (type instanceof VectorUDT) {
                return VECTOR.deserialize(row.getStruct(column, VECTOR.sqlType().size())).toArray();
            }
            ArrayData array = row.getArray(column);
            for (int i = 0; i < array.numElements(); i++) {
                if (array.isNullAt(i)) {
                    throw new InputException(InputError.atRow(SOURCE, number, name + " holds a null value"));
                }
            }
            return array.toDoubleArray();
        }
    }

    private static int width(Row row, int column, long number, String name) {
        double[] values = values(row, column, number, name);
        if (values == null) {
            throw new InputException(InputError.atRow(SOURCE, number, name + " is null"));
        }
        if (values.length == 0) {
            throw new InputException(InputError.atRow(SOURCE, number, name + " has no values"));
        }
        return values.length;
    }

    /** The first row's values of a column; null for a null cell. */
    private static double[] values(Row row, int column, long number, String name) {
        Object cell = row.get(column);
        if (cell == null) {
            return null;
        }
        if (cell instanceof Vector v) {
            return v.toArray();
        }
        if (cell instanceof Double v) {
            return new double[] {v};
        }
        List<Double> list = row.getList(column);
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (list.get(i) == null) {
                throw new InputException(InputError.atRow(SOURCE, number, name + " holds a null value"));
            }
            values[i] = list.get(i);
        }
        return values;
    }

    /** {@code from}'s elements through {@code f}, one at a time. */
    static <A, B> Iterator<B> map(Iterator<A> from, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return from.hasNext();
            }

            @Override
            public B next() {
                return f.apply(from.next());
            }
        };
    }
}
