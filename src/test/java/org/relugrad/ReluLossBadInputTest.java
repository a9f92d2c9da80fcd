package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.relugrad.internal.io.InputException;
import scala.Tuple2;

/** Bad rows and bad calls: one plain message each, in the problem's words, naming the row where there is one. */
class ReluLossBadInputTest extends SharedSpark {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType)
            .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", SQLDataTypes.VectorType());
    private static final Blocking SMALL_BLOCKS = new Blocking(2, 3);

    private SparkSession spark;
    private Fixture seed;

    @BeforeAll
    void session() {
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        seed = Fixture.load("seed");
    }

    private static double[] row(Matrix m, int r) {
        return Arrays.copyOfRange(m.values(), r * m.cols(), (r + 1) * m.cols());
    }

    /** The seed fixture's rows (id, x array, y Vector), row {@code bad} replaced by {@code change}'s. */
    private Dataset<Row> seedRows(int bad, UnaryOperator<Object[]> change) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < seed.x().rows(); r++) {
            Object[] values = {(long) r, row(seed.x(), r), Vectors.dense(row(seed.y(), r))};
            rows.add(RowFactory.create(r == bad ? change.apply(values) : values));
        }
        return spark.createDataFrame(sc.parallelize(rows, 3), SCHEMA);
    }

    private String cacheFails(Dataset<Row> rows, String rowColumn) {
        try (ReluLoss loss = ReluLoss.of(rows, "x", "y", rowColumn, SMALL_BLOCKS)) {
            return assertThrows(InputException.class, loss::cache).getMessage();
        }
    }

    @Test
    void aMissingColumnIsNamedWithTheSchema() {
        InputException e = assertThrows(InputException.class, () -> ReluLoss.of(seedRows(-1, v -> v), "features", "y"));
        assertEquals("Dataset: has no column 'features'; its columns are struct<id:bigint,x:array<double>,y:vector>",
                e.getMessage());
    }

    @Test
    void aColumnOfAnotherTypeIsNamed() {
        InputException e = assertThrows(InputException.class, () -> ReluLoss.of(seedRows(-1, v -> v), "id", "y"));
        assertEquals("Dataset: column 'id' is bigint; relugrad reads array<double>, a Spark ML Vector or double there",
                e.getMessage());
    }

    @Test
    void aRaggedRowIsNamedWhenTheRowsAreRead() {
        Dataset<Row> rows = seedRows(7, v -> new Object[] {v[0], new double[] {1, 2, 3}, v[2]});
        assertEquals("Dataset row 7: x has 3 values, but row 0's has 4", cacheFails(rows, null));
        try (ReluLoss loss = ReluLoss.of(rows, "x", "y", "id", SMALL_BLOCKS)) {
            InputException e = assertThrows(InputException.class, () -> loss.lossAndGradient(seed.w()));
            assertEquals("Dataset row 7: x has 3 values, but row 0's has 4", e.getMessage());
        }
    }

    @Test
    void rowGradientsAreLazySoABadRowFailsTheJobThatMeetsIt() {
        Dataset<Row> rows = seedRows(8, v -> new Object[] {v[0], v[1], Vectors.dense(1, 2)});
        try (ReluLoss loss = ReluLoss.of(rows, "x", "y", "id", SMALL_BLOCKS)) {
            Dataset<Row> gradients = loss.rowGradients(seed.w());
            Exception e = assertThrows(Exception.class, gradients::count);
            Throwable cause = e;
            while (cause != null && !(cause instanceof InputException)) {
                cause = cause.getCause();
            }
            assertEquals("Dataset row 8: y has 2 values, but row 0's has 4",
                    cause == null ? "no InputException in " + e : cause.getMessage());
        }
    }

    @Test
    void nullsAndNaNsAreNamedByRow() {
        assertEquals("Dataset row 4: x is null", cacheFails(seedRows(4, v -> new Object[] {v[0], null, v[2]}), "id"));
        assertEquals("Dataset row 2: x holds a null value", cacheFails(seedRows(2,
                v -> new Object[] {v[0], new Double[] {1.0, null, 2.0, 3.0}, v[2]}), null));
        assertEquals("Dataset row 5: NaN in y, at 1", cacheFails(seedRows(5,
                v -> new Object[] {v[0], v[1], Vectors.dense(0, Double.NaN, 0, 0)}), null));
    }

    @Test
    void aRowColumnThatMisnumbersTheRowsIsNamed() {
        assertEquals("Dataset: column id does not number the rows 0 … n−1 once each: row 4 appears more than once",
                cacheFails(seedRows(3, v -> new Object[] {4L, v[1], v[2]}), "id"));
        assertEquals("Dataset: column id does not number the rows 0 … n−1 once each: row number 10 is outside "
                + "0 … 9 (n = 10)", cacheFails(seedRows(9, v -> new Object[] {10L, v[1], v[2]}), "id"));
    }

    @Test
    void anEmptyDatasetIsRefused() {
        Dataset<Row> none = spark.createDataFrame(List.of(), SCHEMA);
        InputException e = assertThrows(InputException.class, () -> ReluLoss.of(none, "x", "y"));
        assertEquals("Dataset: has no rows", e.getMessage());
    }

    @Test
    void aRaggedRddRowIsNamed() {
        List<Tuple2<double[], double[]>> pairs = new ArrayList<>();
        for (int r = 0; r < seed.x().rows(); r++) {
            pairs.add(new Tuple2<>(r == 6 ? new double[] {1, 2} : row(seed.x(), r), row(seed.y(), r)));
        }
        try (ReluLoss loss = ReluLoss.of(spark, sc.parallelize(pairs, 4), SMALL_BLOCKS)) {
            InputException e = assertThrows(InputException.class, loss::cache);
            assertEquals("RDD row 6: x has 2 values, but row 0's has 4", e.getMessage());
        }
    }

    @Test
    void wOfTheWrongShapeNamesBothShapesAndNaNInWIsNamed() {
        try (ReluLoss loss = ReluLoss.of(seedRows(-1, v -> v), "x", "y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.lossAndGradient(new Matrix(4, 3, new double[12])));
            assertEquals("W is 4 x 3, but X has 4 columns and Y has 4, so W must be 4 x 4", e.getMessage());
            double[] nan = seed.w().values().clone();
            nan[6] = Double.NaN;
            e = assertThrows(IllegalArgumentException.class, () -> loss.lossAndGradient(new Matrix(4, 4, nan)));
            assertEquals("W holds NaN at row 1, column 2: W must be finite", e.getMessage());
        }
    }

    @Test
    void blockingOutOfRangeIsRefusedInPlainWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Blocking(-1, 0));
        assertEquals("partitions must be from 1 to 100000, or 0 for Spark's default parallelism; was -1",
                e.getMessage());
    }
}
