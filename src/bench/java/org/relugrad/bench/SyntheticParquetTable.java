package org.relugrad.bench;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relugrad.internal.io.synthetic.SyntheticInput;

/**
 * Writes the Parquet table scripts/bench/io reads: columns {@code x} (d doubles) and {@code y} (k doubles), both
 * {@code array<double>}, snappy, FILES files. Row r holds row r of X and of Y of {@code --generate N,D,K,SEED} (the
 * SplittableRandom recipe of the manual's "Synthetic data", inputs-and-outputs.md), and each file a contiguous range of rows, so the files in name
 * order hold the rows in order (a repartition would deal the rows out to the files round-robin).
 *
 * <pre>
 *   java -Dspark.master=local[2] -cp ... org.relugrad.bench.SyntheticParquetTable OUT N D K SEED FILES
 * </pre>
 */
public final class SyntheticParquetTable {
    private SyntheticParquetTable() {
    }

    public static void main(String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: SyntheticParquetTable OUT N D K SEED FILES");
        }
        String out = args[0];
        long n = Long.parseLong(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        int files = Integer.parseInt(args[5]);
        StructType schema = new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        SparkSession spark = SparkSession.builder().appName("synthetic Parquet table").getOrCreate();
        try {
            // range's partitions are contiguous row ranges, one output file each, named in row order.
            spark.range(0, n, 1, files).map((MapFunction<Long, Row>) r -> {
                double[] x = new double[d];
                double[] y = new double[k];
                SyntheticInput.fill(seed, r * d, x, d);
                SyntheticInput.fill(seed + 2, r * k, y, k);
                return RowFactory.create(x, y);
            }, Encoders.row(schema)).write().mode(SaveMode.ErrorIfExists).option("compression", "snappy")
                    .parquet(out);
        } finally {
            spark.stop();
        }
    }
}
