package org.relugrad.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The baseline peer for scripts/bench/io's CSV input, not relugrad: Spark's own CSV reader, the schema given (no
 * inference, no header), only counting the rows and summing every column of X.csv and of Y.csv, one aggregation
 * per file. Less work than a gradient: it is the floor of what a Spark user pays to read the same two files. Prints
 * one JSON line.
 *
 * <pre>
 *   java -Dspark.master=local[2] -cp ... org.relugrad.bench.SparkCsvColumnSums X.csv D Y.csv K
 * </pre>
 */
public final class SparkCsvColumnSums {
    private SparkCsvColumnSums() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: SparkCsvColumnSums X.csv D Y.csv K");
        }
        SparkSession spark = SparkSession.builder().appName("Spark CSV reader, column sums").getOrCreate();
        try {
            double[] x = columnSums(spark, args[0], Integer.parseInt(args[1]));
            double[] y = columnSums(spark, args[2], Integer.parseInt(args[3]));
            System.out.println("{\"rows\": " + (long) x[0] + ", \"rowsY\": " + (long) y[0]
                    + ", \"xSum\": " + x[1] + ", \"ySum\": " + y[1] + "}");
        } finally {
            spark.stop();
        }
    }

    /** The file's row count and the sum of its column sums. */
    private static double[] columnSums(SparkSession spark, String file, int columns) {
        StructType schema = new StructType();
        Column[] sums = new Column[columns];
        for (int c = 0; c < columns; c++) {
            schema = schema.add("c" + c, DataTypes.DoubleType, false);
            sums[c] = sum(col("c" + c));
        }
        Row row = spark.read().schema(schema).csv(file).agg(count(lit(1)), sums).first();
        double total = 0;
        for (int c = 0; c < columns; c++) {
            total += row.getDouble(c + 1);
        }
        return new double[] {row.getLong(0), total};
    }
}
