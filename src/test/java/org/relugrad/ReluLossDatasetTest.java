package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.internal.io.out.CollectedRows;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.kernel.Output;
import scala.Tuple2;

/**
 * ReluLoss over a Dataset's and an RDD's rows: the same bits as grad over the same rows in CSV files, for any
 * partitioning of the Dataset, array and Vector columns alike, and row gradients against the naive float64 loop.
 */
class ReluLossDatasetTest extends SharedSpark {
    private static final int N = 1000;
    private static final int D = 5;
    private static final int K = 3;
    private static final int BLOCK_ROWS = 64;
    private static final DataType ARRAY = DataTypes.createArrayType(DataTypes.DoubleType);

    private SparkSession spark;
    private Matrix x;
    private Matrix y;
    private Matrix w;
    /** grad's result over the same rows as CSV files, with every row of dX and dY. */
    private GradientResult grad;
    private CollectedRows gradRows;

    @BeforeAll
    void prepare(@TempDir Path dir) {
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Random random = new Random(11);
        x = NaiveGradient.random(random, N, D);
        y = NaiveGradient.random(random, N, K);
        w = NaiveGradient.random(random, D, K);
        CsvInput files = new CsvInput(OutputFiles.writeCsv(dir.resolve("X.csv"), x).toString(),
                OutputFiles.writeCsv(dir.resolve("Y.csv"), y).toString(),
                OutputFiles.writeCsv(dir.resolve("W.csv"), w).toString());
        GradientJob job = new GradientJob(sc);
        gradRows = new CollectedRows();
        grad = job.run(job.prepare(files, 2, BLOCK_ROWS), EnumSet.allOf(Output.class), gradRows);
    }

    private static double[] row(Matrix m, int r) {
        double[] v = new double[m.cols()];
        System.arraycopy(m.values(), r * m.cols(), v, 0, v.length);
        return v;
    }

    /** The rows as a Dataset (id, x, y) in {@code partitions} partitions, in row order or shuffled. */
    private Dataset<Row> dataset(int partitions, boolean vectors, boolean shuffled) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            Object xs = vectors ? Vectors.dense(row(x, r)) : row(x, r);
            Object ys = vectors ? Vectors.dense(row(y, r)) : row(y, r);
            rows.add(RowFactory.create((long) r, xs, ys));
        }
        if (shuffled) {
            Collections.shuffle(rows, new Random(partitions));
        }
        DataType type = vectors ? SQLDataTypes.VectorType() : ARRAY;
        StructType schema = new StructType().add("id", DataTypes.LongType).add("features", type).add("label", type);
        return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
    }

    /** grad's bits, which are also the naive float64 loop's loss and dW (to 1e-12 relative): equal and right. */
    private void assertGradsBits(LossAndGradient g) {
        assertEquals(Double.doubleToLongBits(grad.loss()), Double.doubleToLongBits(g.loss()), "loss");
        assertArrayEquals(grad.dW().values(), g.dW().values(), "dW");
        NaiveGradient naive = new NaiveGradient(x, w, y);
        assertEquals(naive.loss, g.loss(), 1e-12 * naive.loss, "loss vs the naive loop");
        double e = NaiveGradient.relativeError(g.dW(), naive.dW);
        assertTrue(e <= 1e-12, "dW vs the naive loop: normwise relative error " + e);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void datasetInItsOwnOrderGivesGradsBitsAtAnyPartitioning(int partitions) {
        try (ReluLoss loss = ReluLoss.of(dataset(partitions, false, false), "features", "label", null,
                new Blocking(2, BLOCK_ROWS))) {
            assertEquals(N, loss.rows());
            assertEquals(D, loss.d());
            assertEquals(K, loss.k());
            assertTrue(loss.inputW().isEmpty());
            assertGradsBits(loss.lossAndGradient(w));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void shuffledVectorRowsNumberedByARowColumnGiveGradsBits(int partitions) {
        try (ReluLoss loss = ReluLoss.of(dataset(partitions, true, true), "features", "label", "id",
                new Blocking(3, BLOCK_ROWS)).cache()) {
            assertGradsBits(loss.lossAndGradient(w));
            assertGradsBits(loss.lossAndGradient(w));
        }
    }

    @Test
    void datasetReadFromParquetGivesGradsBits(@TempDir Path dir) {
        String table = dir.resolve("rows.parquet").toString();
        dataset(4, true, true).write().parquet(table);
        Dataset<Row> read = spark.read().parquet(table).selectExpr("cast(id as int) as id", "features", "label");
        try (ReluLoss loss = ReluLoss.of(read, "features", "label", "id", new Blocking(3, BLOCK_ROWS))) {
            assertGradsBits(loss.lossAndGradient(w));
        }
    }

    @Test
    void vectorAndArrayColumnsGiveTheSameBits() {
        Blocking blocking = new Blocking(2, BLOCK_ROWS);
        try (ReluLoss arrays = ReluLoss.of(dataset(2, false, false), "features", "label", null, blocking);
             ReluLoss vectors = ReluLoss.of(dataset(5, true, false), "features", "label", null, blocking)) {
            Matrix w2 = NaiveGradient.random(new Random(3), D, K);
            LossAndGradient a = arrays.lossAndGradient(w2);
            LossAndGradient v = vectors.lossAndGradient(w2);
            assertEquals(Double.doubleToLongBits(a.loss()), Double.doubleToLongBits(v.loss()));
            assertArrayEquals(a.dW().values(), v.dW().values());
            NaiveGradient naive = new NaiveGradient(x, w2, y);
            assertEquals(naive.loss, a.loss(), 1e-12 * naive.loss);
            assertTrue(NaiveGradient.relativeError(a.dW(), naive.dW) <= 1e-12);
        }
    }

    @Test
    void aDoubleColumnIsARowOfOneValue() {
        List<Row> numbers = new ArrayList<>();
        List<Row> arrays = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            numbers.add(RowFactory.create(Vectors.dense(row(x, r)), y.get(r, 0)));
            arrays.add(RowFactory.create(Vectors.dense(row(x, r)), new double[] {y.get(r, 0)}));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        Matrix w1 = NaiveGradient.random(new Random(9), D, 1);
        Blocking blocking = new Blocking(2, BLOCK_ROWS);
        try (ReluLoss byNumber = ReluLoss.of(spark.createDataFrame(sc.parallelize(numbers, 3),
                        schema.add("label", DataTypes.DoubleType)), "features", "label", null, blocking);
             ReluLoss byArray = ReluLoss.of(spark.createDataFrame(sc.parallelize(arrays, 2),
                        schema.add("label", ARRAY)), "features", "label", null, blocking)) {
            assertEquals(1, byNumber.k());
            LossAndGradient a = byNumber.lossAndGradient(w1);
            LossAndGradient b = byArray.lossAndGradient(w1);
            assertEquals(Double.doubleToLongBits(b.loss()), Double.doubleToLongBits(a.loss()));
            assertArrayEquals(b.dW().values(), a.dW().values());
            double[] y1 = new double[N];
            for (int r = 0; r < N; r++) {
                y1[r] = y.get(r, 0);
            }
            NaiveGradient naive = new NaiveGradient(x, w1, new Matrix(N, 1, y1));
            assertEquals(naive.loss, a.loss(), 1e-12 * naive.loss);
            assertTrue(NaiveGradient.relativeError(a.dW(), naive.dW) <= 1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6})
    void rddOfRowPairsGivesGradsBits(int partitions) {
        List<Tuple2<double[], double[]>> pairs = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            pairs.add(new Tuple2<>(row(x, r), row(y, r)));
        }
        JavaRDD<Tuple2<double[], double[]>> rdd = sc.parallelize(pairs, partitions);
        try (ReluLoss loss = ReluLoss.of(spark, rdd, new Blocking(2, BLOCK_ROWS))) {
            assertEquals(N, loss.rows());
            assertGradsBits(loss.lossAndGradient(w));
        }
    }

    @Test
    void rowGradientsAreTheNaiveLoopsRowsAndGradsBits() {
        NaiveGradient naive = new NaiveGradient(x, w, y);
        Matrix gradDX = gradRows.rows(Output.DX);
        Matrix gradDY = gradRows.rows(Output.DY);
        try (ReluLoss loss = ReluLoss.of(dataset(3, true, true), "features", "label", "id",
                new Blocking(4, BLOCK_ROWS)).cache()) {
            Dataset<Row> rows = loss.rowGradients(w);
            assertEquals(List.of("row", "dX", "dY"), List.of(rows.schema().fieldNames()));
            List<Row> all = rows.collectAsList();
            assertEquals(N, all.size());
            boolean[] seen = new boolean[N];
            for (Row r : all) {
                int i = Math.toIntExact(r.getLong(0));
                seen[i] = true;
                double[] dX = doubles(r.getList(1));
                double[] dY = doubles(r.getList(2));
                assertArrayEquals(row(gradDX, i), dX, "grad's dX row " + i);
                assertArrayEquals(row(gradDY, i), dY, "grad's dY row " + i);
                for (int c = 0; c < D; c++) {
                    assertEquals(naive.dX.get(i, c), dX[c], 1e-12 * (1 + Math.abs(naive.dX.get(i, c))));
                }
                for (int c = 0; c < K; c++) {
                    assertEquals(naive.dY.get(i, c), dY[c], 1e-12 * (1 + Math.abs(naive.dY.get(i, c))));
                }
            }
            for (int i = 0; i < N; i++) {
                assertTrue(seen[i], "row " + i);
            }
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
