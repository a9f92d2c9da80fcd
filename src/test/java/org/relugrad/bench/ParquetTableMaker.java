package org.relugrad.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.relugrad.data.SyntheticInput;

/**
 * Writes the synthetic X and Y of {@code --generate N,D,K,SEED} as a Parquet table the way a Spark user would
 * hold them: Spark SQL's own writer, columns {@code x} and {@code y} of type array&lt;double&gt; (and with
 * {@code --row}, first a bigint column {@code row} numbering the rows), snappy, one file per part, rows in order.
 * So {@code grad --table T --w W.npy} on it computes what {@code grad --generate N,D,K,SEED} does, and benchmarks
 * can time the Parquet input against the same data in memory.
 *
 * <pre>
 *   java -cp ... org.relugrad.bench.ParquetTableMaker OUT N D K SEED FILES [--row]
 * </pre>
 * W is not written: its synthetic values (seed SEED+1) are what {@code scripts/bench_numpy.py} makes as NumPy
 * arrays, which {@code np.save} turns into the W.npy for {@code --w}.
 */
public final class ParquetTableMaker {
    private ParquetTableMaker() {
    }

    public static void main(String[] args) {
        if (args.length < 6) {
            System.err.println("usage: ParquetTableMaker OUT N D K SEED FILES [--row]");
            System.exit(2);
        }
        String out = args[0];
        long n = Long.parseLong(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        int files = Integer.parseInt(args[5]);
        boolean withRow = args.length > 6 && args[6].equals("--row");
        SparkSession spark = SparkSession.builder().appName("ParquetTableMaker").getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Long> parts = LongStream.range(0, files).boxed().toList();
            JavaRDD<Row> rows = sc.parallelize(parts, files).mapPartitions(
                    ids -> rowsOf(ids.next(), files, n, d, k, seed, withRow));
            spark.createDataFrame(rows, schema(withRow)).write().option("compression", "snappy").parquet(out);
        } finally {
            spark.stop();
        }
    }

    private static StructType schema(boolean withRow) {
        List<StructField> fields = new ArrayList<>();
        if (withRow) {
            fields.add(DataTypes.createStructField("row", DataTypes.LongType, false));
        }
        fields.add(DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false));
        fields.add(DataTypes.createStructField("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false));
        return DataTypes.createStructType(fields);
    }

    /** Part {@code part}'s rows: [part·n/files, (part+1)·n/files). */
    private static Iterator<Row> rowsOf(long part, int files, long n, int d, int k, long seed, boolean withRow) {
        long from = part * n / files;
        long to = (part + 1) * n / files;
        return new Iterator<>() {
            private long r = from;

            @Override
            public boolean hasNext() {
                return r < to;
            }

            @Override
            public Row next() {
                double[] x = new double[d];
                double[] y = new double[k];
                SyntheticInput.fill(seed, r * d, x, d);
                SyntheticInput.fill(seed + 2, r * k, y, k);
                Row row = withRow ? RowFactory.create(r, x, y) : RowFactory.create(x, y);
                r++;
                return row;
            }
        };
    }
}
