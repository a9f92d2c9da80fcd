package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.npy.NpyInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.kernel.Output;

/** ReluLoss over relugrad's file inputs: the fixtures, the naive float64 loop, and grad's own bits. */
class ReluLossFileTest extends SharedSpark {
    @TempDir
    Path tmp;

    private SparkSession spark;

    @BeforeAll
    void session() {
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    private RowRangeInput csv(Matrix x, Matrix y, Matrix w, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        return new CsvInput(OutputFiles.writeCsv(dir.resolve("X.csv"), x).toString(),
                OutputFiles.writeCsv(dir.resolve("Y.csv"), y).toString(),
                OutputFiles.writeCsv(dir.resolve("W.csv"), w).toString());
    }

    /** What grad computes for these files: GradientJob over the input, at the W of its W file. */
    private GradientResult grad(RowRangeInput input, int partitions, int blockRows) {
        GradientJob job = new GradientJob(sc);
        return job.run(job.prepare(input, partitions, blockRows), EnumSet.of(Output.LOSS, Output.DW), null);
    }

    @Test
    void biasFixtureLossGradientsAndRowsMatchTheLongDoubleReference() {
        RowRangeInput input = new NpyInput(Fixture.path("bias", "X.npy").toString(),
                Fixture.path("bias", "Y.npy").toString(), Fixture.path("bias", "W.npy").toString());
        double[] b = Fixture.matrix("bias", "b.csv").values();
        double loss = Double.parseDouble(Fixture.text("bias", "loss.txt").strip());
        try (ReluLoss relu = ReluLoss.of(spark, input, new Blocking(3, 16))) {
            Matrix w = relu.inputW().orElseThrow();
            LossAndGradient g = relu.lossAndGradient(w, b);
            assertEquals(loss, g.loss(), 1e-13 * loss);
            assertTrue(NaiveGradient.relativeError(g.dW(), Fixture.matrix("bias", "dW.csv")) <= 1e-13);
            assertTrue(NaiveGradient.relativeError(new Matrix(1, 8, g.db()), Fixture.matrix("bias", "db.csv")) <= 1e-13);
            assertEquals(Double.doubleToRawLongBits(g.loss()), Double.doubleToRawLongBits(relu.loss(w, b)));
            double[] dX = new double[300 * 12];
            double[] dY = new double[300 * 8];
            for (org.apache.spark.sql.Row r : relu.rowGradients(w, b).collectAsList()) {
                int i = (int) r.getLong(0);
                for (int l = 0; l < 12; l++) {
                    dX[i * 12 + l] = r.<Double>getList(1).get(l);
                }
                for (int j = 0; j < 8; j++) {
                    dY[i * 8 + j] = r.<Double>getList(2).get(j);
                }
            }
            assertTrue(NaiveGradient.relativeError(new Matrix(300, 12, dX), Fixture.matrix("bias", "dX.csv")) <= 1e-15);
            assertTrue(NaiveGradient.relativeError(new Matrix(300, 8, dY), Fixture.matrix("bias", "dY.csv")) <= 1e-15);

            // No bias: the methods with b = null are the ones without, bit for bit, and give no db.
            LossAndGradient none = relu.lossAndGradient(w, null);
            LossAndGradient plain = relu.lossAndGradient(w);
            assertEquals(Double.doubleToRawLongBits(plain.loss()), Double.doubleToRawLongBits(none.loss()));
            assertArrayEquals(plain.dW().values(), none.dW().values());
            assertEquals(null, none.db());
            assertThrows(IllegalArgumentException.class, () -> relu.lossAndGradient(w, new double[3]));
        }
    }

    @Test
    void seedFixtureLossAndGradientMatchNumPy() {
        Fixture f = Fixture.load("seed");
        RowRangeInput input = new NpyInput(Fixture.path("seed", "X.npy").toString(),
                Fixture.path("seed", "Y.npy").toString(), Fixture.path("seed", "W.npy").toString());
        try (ReluLoss loss = ReluLoss.of(spark, input)) {
            assertEquals(10, loss.rows());
            assertEquals(4, loss.d());
            assertEquals(4, loss.k());
            Matrix w = loss.inputW().orElseThrow();
            assertArrayEquals(f.w().values(), w.values());
            LossAndGradient g = loss.lossAndGradient(w);
            assertEquals(f.loss(), g.loss(), 1e-12 * f.loss());
            assertTrue(NaiveGradient.relativeError(g.dW(), f.dW()) <= 1e-12);
        }
    }

    @Test
    void manyWOverCachedBlocksGiveGradsBitsForEachW() throws Exception {
        Random random = new Random(7);
        Matrix x = NaiveGradient.random(random, 500, 6);
        Matrix y = NaiveGradient.random(random, 500, 3);
        Matrix w0 = NaiveGradient.random(random, 6, 3);
        try (ReluLoss loss = ReluLoss.of(spark, csv(x, y, w0, "in"), new Blocking(3, 64)).cache()) {
            assertTrue(loss.isCached());
            for (int i = 0; i < 4; i++) {
                Matrix w = NaiveGradient.random(random, 6, 3);
                LossAndGradient g = loss.lossAndGradient(w);
                GradientResult expected = grad(csv(x, y, w, "w" + i), 2, 64);
                assertEquals(Double.doubleToLongBits(expected.loss()), Double.doubleToLongBits(g.loss()));
                assertArrayEquals(expected.dW().values(), g.dW().values());
                assertEquals(Double.doubleToLongBits(g.loss()), Double.doubleToLongBits(loss.loss(w)));
                NaiveGradient naive = new NaiveGradient(x, w, y);
                assertEquals(naive.loss, g.loss(), 1e-12 * naive.loss);
                assertTrue(NaiveGradient.relativeError(g.dW(), naive.dW) <= 1e-12);
            }
            loss.unpersist();
            assertFalse(loss.isCached());
            LossAndGradient again = loss.lossAndGradient(w0);
            assertEquals(Double.doubleToLongBits(grad(csv(x, y, w0, "w0"), 1, 64).loss()),
                    Double.doubleToLongBits(again.loss()));
        }
    }

    @Test
    void rowGradientsOfUncachedFileBlocksAreTheNaiveLoopsRows() throws Exception {
        Random random = new Random(5);
        Matrix x = NaiveGradient.random(random, 300, 4);
        Matrix y = NaiveGradient.random(random, 300, 2);
        Matrix w = NaiveGradient.random(random, 4, 2);
        NaiveGradient naive = new NaiveGradient(x, w, y);
        // Several blocks per partition, read one after another into the same arrays.
        try (ReluLoss loss = ReluLoss.of(spark, csv(x, y, w, "rows"), new Blocking(2, 16))) {
            int seen = 0;
            for (org.apache.spark.sql.Row r : loss.rowGradients(w).collectAsList()) {
                int i = Math.toIntExact(r.getLong(0));
                java.util.List<Double> dX = r.getList(1);
                java.util.List<Double> dY = r.getList(2);
                for (int c = 0; c < 4; c++) {
                    assertEquals(naive.dX.get(i, c), dX.get(c), 1e-12 * (1 + Math.abs(naive.dX.get(i, c))));
                }
                for (int c = 0; c < 2; c++) {
                    assertEquals(naive.dY.get(i, c), dY.get(c), 1e-12 * (1 + Math.abs(naive.dY.get(i, c))));
                }
                seen++;
            }
            assertEquals(300, seen);
        }
    }

    @Test
    void wOfTheWrongShapeNamesBothShapes() {
        Fixture f = Fixture.load("seed");
        RowRangeInput input = new NpyInput(Fixture.path("seed", "X.npy").toString(),
                Fixture.path("seed", "Y.npy").toString(), Fixture.path("seed", "W.npy").toString());
        try (ReluLoss loss = ReluLoss.of(spark, input)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.lossAndGradient(new Matrix(3, 4, new double[12])));
            assertEquals("W is 3 x 4, but X has 4 columns and Y has 4, so W must be 4 x 4", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loss.rowGradients(new Matrix(4, 2, new double[8])));
        }
        assertEquals(10, f.x().rows());
    }
}
