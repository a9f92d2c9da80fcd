package org.relugrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The baseline peer for scripts/bench/io, not relugrad: the plain Spark job a user would write instead to get f and
 * ∂f/∂W = Xᵀ G of f = ‖max(XW, 0) − Y‖²_F from a Parquet table with columns {@code x} and {@code y} of type
 * {@code array<double>} (G = 2R ⊙ 1[Z &gt; 0], R = max(Z, 0) − Y). {@code spark.read().parquet}, a per-row loop
 * in {@code mapPartitions} in plain Java (each partition sums its rows' loss and Xᵀ G in doubles), and
 * {@code treeReduce} of the partials. Nothing of relugrad's code is used. Prints one JSON line.
 *
 * <pre>
 *   java -Dspark.master=local[2] -cp ... org.relugrad.bench.PlainSparkParquetBaseline TABLE W.csv
 * </pre>
 *
 * W.csv holds d lines of k comma-separated numbers; Spark's settings come as {@code spark.*} system properties, as
 * spark-submit would give them.
 */
public final class PlainSparkParquetBaseline {
    private PlainSparkParquetBaseline() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PlainSparkParquetBaseline TABLE W.csv");
        }
        double[][] w = readCsv(Path.of(args[1]));
        int d = w.length;
        int k = w[0].length;
        SparkSession spark = SparkSession.builder().appName("plain Spark job on Parquet").getOrCreate();
        try {
            JavaRDD<Row> rows = spark.read().parquet(args[0]).select("x", "y").javaRDD();
            double[] total = rows.mapPartitions((Iterator<Row> it) -> {
                // dW row-major (d × k), then the loss, then the row count.
                double[] sums = new double[d * k + 2];
                double[] z = new double[k];
                while (it.hasNext()) {
                    Row row = it.next();
                    List<Double> x = row.getList(0);
                    List<Double> y = row.getList(1);
                    for (int j = 0; j < k; j++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += x.get(c) * w[c][j];
                        }
                        z[j] = s;
                    }
                    for (int j = 0; j < k; j++) {
                        double r = Math.max(z[j], 0) - y.get(j);
                        sums[d * k] += r * r;
                        double g = z[j] > 0 ? 2 * r : 0;
                        for (int c = 0; c < d; c++) {
                            sums[c * k + j] += x.get(c) * g;
                        }
                    }
                    sums[d * k + 1]++;
                }
                return Collections.singletonList(sums).iterator();
            }).treeReduce((a, b) -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] += b[i];
                }
                return a;
            });
            double dwSum = 0;
            for (int i = 0; i < d * k; i++) {
                dwSum += total[i];
            }
            System.out.println("{\"rows\": " + (long) total[d * k + 1] + ", \"loss\": " + total[d * k]
                    + ", \"dWSum\": " + dwSum + "}");
        } finally {
            spark.stop();
        }
    }

    /** A small CSV matrix, one row a line. */
    private static double[][] readCsv(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }
}
