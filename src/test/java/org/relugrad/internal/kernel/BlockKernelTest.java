package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;

/** BlockKernel (with GradientSum over blocks) against the plain-loop reference and the NumPy fixtures. */
class BlockKernelTest {
    private static final double TOLERANCE = 1e-12;
    private static final Set<Output> ALL = EnumSet.allOf(Output.class);

    /** Loss, dW, dX and dY over all rows, computed block by block. */
    record Blocked(double loss, Matrix dW, Matrix dX, Matrix dY, long rows, long blocks) {
    }

    /** Rows [first, first + count) of m, copied. */
    static Matrix rows(Matrix m, int first, int count) {
        return new Matrix(count, m.cols(),
                Arrays.copyOfRange(m.values(), first * m.cols(), (first + count) * m.cols()));
    }

    static RowBlock block(Matrix x, Matrix y, int first, int count) {
        return new RowBlock(first, count, x.cols(), y.cols(), rows(x, first, count).values(),
                rows(y, first, count).values());
    }

    /** Splits X and Y into blocks of {@code blockRows} rows, runs one kernel over them, sums and concatenates. */
    static Blocked runInBlocks(Matrix x, Matrix w, Matrix y, int blockRows, Set<Output> outputs) {
        int n = x.rows();
        int d = w.rows();
        int k = w.cols();
        BlockKernel kernel = new BlockKernel(w, outputs);
        GradientSum sum = new GradientSum(d, k);
        double[] dx = new double[n * d];
        double[] dy = new double[n * k];
        for (int first = 0; first < n; first += blockRows) {
            int count = Math.min(blockRows, n - first);
            BlockGradient g = kernel.apply(block(x, y, first, count));
            assertEquals(first, g.firstRow());
            assertEquals(count, g.rows());
            sum.add(g);
            if (outputs.contains(Output.DX)) {
                System.arraycopy(g.dX(), 0, dx, first * d, count * d);
            }
            if (outputs.contains(Output.DY)) {
                System.arraycopy(g.dY(), 0, dy, first * k, count * k);
            }
        }
        return new Blocked(sum.loss(), sum.dW(), new Matrix(n, d, dx), new Matrix(n, k, dy), sum.rows(), sum.blocks());
    }

    static void assertClose(Matrix expected, Matrix actual, double tolerance, String what) {
        double error = NaiveGradient.relativeError(actual, expected);
        assertTrue(error <= tolerance, what + ": normwise relative error " + error + " > " + tolerance);
    }

    static void assertLossClose(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(error <= tolerance, what + ": loss " + actual + " vs " + expected + ", relative error " + error);
    }

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>(List.of(
                // n, d, k, block rows
                Arguments.of(1, 1, 1, 1),
                Arguments.of(2, 1, 2, 7),
                Arguments.of(777, 2, 1, 64),
                Arguments.of(4999, 63, 64, 500),
                Arguments.of(4097, 64, 65, 64),
                Arguments.of(3001, 65, 63, 700),
                Arguments.of(1234, 70, 70, 7),
                Arguments.of(5000, 70, 1, 333),
                Arguments.of(999, 1, 70, 1),
                Arguments.of(450, 70, 2, 700),
                Arguments.of(613, 64, 64, 613),
                Arguments.of(2501, 17, 33, 500)));
        Random random = new Random(31337);
        for (int i = 0; i < 8; i++) {
            int d = 1 + random.nextInt(70);
            int k = 1 + random.nextInt(70);
            int b = 1 + random.nextInt(700);
            int n = 1 + random.nextInt(5000);
            if (n % b == 0) {
                n = Math.max(1, n - 1);
            }
            // Keep the per-row exact sums cheap: tiny blocks only with small W.
            if (b < 16 && d * k > 400) {
                b += 16;
            }
            cases.add(Arguments.of(n, d, k, b));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} block={3}")
    @MethodSource("shapes")
    void blockedKernelMatchesNaiveLoopsOnRandomShapes(int n, int d, int k, int blockRows) {
        Random random = new Random(1000L * n + 31L * d + k + 7L * blockRows);
        Matrix x = NaiveGradient.random(random, n, d);
        Matrix w = NaiveGradient.random(random, d, k);
        Matrix y = NaiveGradient.random(random, n, k);
        NaiveGradient expected = new NaiveGradient(x, w, y);
        Blocked got = runInBlocks(x, w, y, blockRows, ALL);

        assertLossClose(expected.loss, got.loss(), TOLERANCE, "loss");
        assertClose(expected.dW, got.dW(), TOLERANCE, "dW");
        assertClose(expected.dX, got.dX(), TOLERANCE, "dX");
        assertClose(expected.dY, got.dY(), TOLERANCE, "dY");
        assertEquals(n, got.rows());
        assertEquals((n + blockRows - 1) / blockRows, got.blocks());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 10, 64})
    void seedFixtureMatchesNumpyFloat64(int blockRows) {
        Fixture f = Fixture.load("seed");
        Blocked got = runInBlocks(f.x(), f.w(), f.y(), blockRows, ALL);
        assertLossClose(f.loss(), got.loss(), TOLERANCE, "loss");
        assertClose(f.dW(), got.dW(), TOLERANCE, "dW");
        assertClose(f.dX(), got.dX(), TOLERANCE, "dX");
        assertClose(f.dY(), got.dY(), TOLERANCE, "dY");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 6})
    void tiesFixtureMatchesExactlyWithNoGradientThroughZEqualZero(int blockRows) {
        Fixture f = Fixture.load("ties");
        Blocked got = runInBlocks(f.x(), f.w(), f.y(), blockRows, ALL);
        assertEquals(f.loss(), got.loss(), 0.0, "loss");
        assertArrayEquals(f.dW().values(), got.dW().values(), 0.0, "dW");
        assertArrayEquals(f.dX().values(), got.dX().values(), 0.0, "dX");
        assertArrayEquals(f.dY().values(), got.dY().values(), 0.0, "dY");
        // Row 0 of X is all zero, so z == 0 there in every column: nothing flows back to that row.
        for (int c = 0; c < f.x().cols(); c++) {
            assertEquals(0.0, got.dX().get(0, c), 0.0, "dX[0][" + c + "]");
        }
    }

    @Test
    void tiesFixtureDiffersFromTheClampConventionThatPassesGradientAtZero() throws IOException {
        JsonNode variants = new ObjectMapper()
                .readTree(Fixture.text("ties", "relu_convention.json")).get("variants");
        Matrix clampDW = jsonMatrix(variants.get("clamp(min=0)").get("dW"));
        Matrix clampDX = jsonMatrix(variants.get("clamp(min=0)").get("dX"));
        Matrix reluDW = jsonMatrix(variants.get("nn.ReLU").get("dW"));

        Fixture f = Fixture.load("ties");
        Blocked got = runInBlocks(f.x(), f.w(), f.y(), 6, ALL);
        assertArrayEquals(reluDW.values(), got.dW().values(), 0.0, "nn.ReLU's dW");
        assertFalse(Arrays.equals(clampDW.values(), got.dW().values()),
                "kernel's dW equals clamp(min=0)'s: " + Arrays.toString(got.dW().values()));
        assertFalse(Arrays.equals(clampDX.values(), got.dX().values()),
                "kernel's dX equals clamp(min=0)'s: " + Arrays.toString(got.dX().values()));
    }

    private static Matrix jsonMatrix(JsonNode rows) {
        int r = rows.size();
        int c = rows.get(0).size();
        double[] v = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                v[i * c + j] = rows.get(i).get(j).asDouble();
            }
        }
        return new Matrix(r, c, v);
    }

    @Test
    void entryWithZExactlyZeroAddsToLossAndDYButPassesNoGradientToWOrX() {
        // z = 1·1 + 1·(−1) = 0 exactly; y = −3, so r = max(0, 0) − (−3) = 3.
        Matrix w = new Matrix(2, 1, new double[] {1.0, -1.0});
        RowBlock b = new RowBlock(0, 1, 2, 1, new double[] {1.0, 1.0}, new double[] {-3.0});
        BlockGradient g = new BlockKernel(w, ALL).apply(b);
        assertEquals(9.0, g.loss() + g.lossError(), 0.0);
        assertEquals(-6.0, g.dY()[0], 0.0);
        assertArrayEquals(new double[] {0.0, 0.0}, g.dW(), 0.0);
        assertArrayEquals(new double[] {0.0, 0.0}, Arrays.copyOf(g.dX(), 2), 0.0);

        // The smallest positive z does pass it: G = 2(z + 3), dW = x·G, dX = G·w.
        RowBlock above = new RowBlock(0, 1, 2, 1, new double[] {1.0, 1.0 - 0x1p-52}, new double[] {-3.0});
        BlockGradient h = new BlockKernel(w, ALL).apply(above);
        double z = 0x1p-52;
        double gz = 2.0 * (z + 3.0);
        assertArrayEquals(new double[] {gz, (1.0 - 0x1p-52) * gz}, h.dW(), 0.0);
        assertArrayEquals(new double[] {gz, -gz}, Arrays.copyOf(h.dX(), 2), 0.0);
    }

    static Stream<Arguments> outputSubsets() {
        return Stream.of(
                Arguments.of(EnumSet.of(Output.LOSS)),
                Arguments.of(EnumSet.noneOf(Output.class)),
                Arguments.of(EnumSet.of(Output.DW)),
                Arguments.of(EnumSet.of(Output.LOSS, Output.DX)),
                Arguments.of(EnumSet.of(Output.DY)),
                Arguments.of(EnumSet.of(Output.DW, Output.DY)),
                Arguments.of(EnumSet.allOf(Output.class)));
    }

    @ParameterizedTest
    @MethodSource("outputSubsets")
    void onlyTheWantedGradientsAreComputedAndTheLossAlways(EnumSet<Output> outputs) {
        Random random = new Random(77);
        int n = 301;
        int d = 9;
        int k = 5;
        Matrix x = NaiveGradient.random(random, n, d);
        Matrix w = NaiveGradient.random(random, d, k);
        Matrix y = NaiveGradient.random(random, n, k);
        NaiveGradient expected = new NaiveGradient(x, w, y);

        BlockKernel kernel = new BlockKernel(w, outputs);
        GradientSum sum = new GradientSum(d, k);
        double[] dx = new double[n * d];
        double[] dy = new double[n * k];
        for (int first = 0; first < n; first += 64) {
            int count = Math.min(64, n - first);
            BlockGradient g = kernel.apply(block(x, y, first, count));
            sum.add(g);
            if (outputs.contains(Output.DX)) {
                System.arraycopy(g.dX(), 0, dx, first * d, count * d);
            } else {
                assertEquals(0, g.dX().length, "dX buffer allocated though dX is not wanted");
            }
            if (outputs.contains(Output.DY)) {
                System.arraycopy(g.dY(), 0, dy, first * k, count * k);
            } else {
                assertEquals(0, g.dY().length, "dY buffer allocated though dY is not wanted");
            }
            if (!outputs.contains(Output.DW)) {
                assertArrayEquals(new double[d * k], g.dW(), 0.0, "dW written though not wanted");
            }
        }
        assertLossClose(expected.loss, sum.loss(), TOLERANCE, "loss");
        if (outputs.contains(Output.DW)) {
            assertClose(expected.dW, sum.dW(), TOLERANCE, "dW");
        } else {
            assertArrayEquals(new double[d * k], sum.dW().values(), 0.0, "dW not wanted stays zero");
        }
        if (outputs.contains(Output.DX)) {
            assertClose(expected.dX, new Matrix(n, d, dx), TOLERANCE, "dX");
        }
        if (outputs.contains(Output.DY)) {
            assertClose(expected.dY, new Matrix(n, k, dy), TOLERANCE, "dY");
        }
    }

    @Test
    void theBlockLossIsTheSumOfSquaresToTwiceTheWorkingPrecision() {
        // With W = [1], Z = X exactly, so R = max(X, 0) − Y is known in double and Σ R² exactly in BigDecimal.
        Random random = new Random(606);
        int n = 100_003;
        double[] x = new double[n];
        double[] y = new double[n];
        java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            // Magnitudes from 2⁻⁴⁰ to 2⁴⁰, growing and shrinking, so squares both far above and far below the
            // running sums occur.
            int scale = (int) (40 * Math.sin(i / 997.0)) + random.nextInt(9) - 4;
            x[i] = random.nextGaussian() * Math.scalb(1.0, scale);
            y[i] = random.nextGaussian() * Math.scalb(1.0, scale);
            double r = Math.max(x[i], 0.0) - y[i];
            exact = exact.add(new java.math.BigDecimal(r).multiply(new java.math.BigDecimal(r)));
        }
        BlockGradient g = new BlockKernel(new Matrix(1, 1, new double[] {1.0}), EnumSet.of(Output.LOSS))
                .apply(new RowBlock(0, n, 1, 1, x, y));
        java.math.BigDecimal got = new java.math.BigDecimal(g.loss()).add(new java.math.BigDecimal(g.lossError()));
        double relative = got.subtract(exact).abs().divide(exact, java.math.MathContext.DECIMAL64).doubleValue();
        assertTrue(relative <= 1e-28, "relative error of loss + lossError: " + relative);
        assertEquals(exact.doubleValue(), g.loss() + g.lossError(), 0.0, "rounded to the nearest double");
    }

    @Test
    void aKernelTakingOverAnotherOnesBuffersGivesTheSameBitsAsAFreshOne() {
        Random random = new Random(77);
        int d = 9;
        int k = 6;
        BlockKernel previous = new BlockKernel(NaiveGradient.random(random, d, k), ALL);
        Matrix bigX = NaiveGradient.random(random, 800, d);
        Matrix bigY = NaiveGradient.random(random, 800, k);
        previous.apply(new RowBlock(0, 800, d, k, bigX.values(), bigY.values()));
        List<Set<Output>> outputs = List.of(EnumSet.of(Output.LOSS, Output.DW), ALL, EnumSet.of(Output.DY));
        for (Set<Output> wanted : outputs) {
            Matrix w = NaiveGradient.random(random, d, k);
            Matrix x = NaiveGradient.random(random, 300, d);
            Matrix y = NaiveGradient.random(random, 300, k);
            RowBlock block = new RowBlock(800, 300, d, k, x.values(), y.values());
            BlockKernel next = BlockKernel.reusing(previous, w, false, wanted);
            BlockGradient got = next.apply(block);
            BlockGradient fresh = new BlockKernel(w, wanted).apply(block);
            String what = "outputs " + wanted;
            assertEquals(Double.doubleToRawLongBits(fresh.loss()), Double.doubleToRawLongBits(got.loss()), what);
            assertEquals(fresh.lossError(), got.lossError(), 0.0, what);
            assertArrayEquals(fresh.dW(), got.dW(), what + ": dW");
            if (wanted.contains(Output.DX)) {
                assertArrayEquals(Arrays.copyOf(fresh.dX(), 300 * d), Arrays.copyOf(got.dX(), 300 * d), what + ": dX");
            }
            if (wanted.contains(Output.DY)) {
                assertArrayEquals(Arrays.copyOf(fresh.dY(), 300 * k), Arrays.copyOf(got.dY(), 300 * k), what + ": dY");
            }
            NaiveGradient expected = new NaiveGradient(x, w, y);
            assertLossClose(expected.loss, got.loss() + got.lossError(), TOLERANCE, what + ": loss");
            previous = next;
        }
    }

    @Test
    void reusedBuffersAcrossBlocksOfDifferentSizesGiveTheSameResultAsFreshKernels() {
        Random random = new Random(4242);
        int d = 13;
        int k = 11;
        Matrix w = NaiveGradient.random(random, d, k);
        BlockKernel reused = new BlockKernel(w, ALL);
        int[] sizes = {500, 7, 300, 1, 0, 64, 499, 2, 0, 700, 3};
        long firstRow = 0;
        for (int size : sizes) {
            Matrix x = NaiveGradient.random(random, size, d);
            Matrix y = NaiveGradient.random(random, size, k);
            RowBlock b = new RowBlock(firstRow, size, d, k, x.values(), y.values());
            BlockGradient a = reused.apply(b);
            double[] aDw = a.dW().clone();
            double[] aDx = Arrays.copyOf(a.dX(), size * d);
            double[] aDy = Arrays.copyOf(a.dY(), size * k);
            double aLoss = a.loss();
            double aLossError = a.lossError();
            assertEquals(firstRow, a.firstRow());
            assertEquals(size, a.rows());

            BlockGradient fresh = new BlockKernel(w, ALL).apply(b);
            String what = "block of " + size + " rows";
            assertEquals(fresh.loss(), aLoss, 0.0, what + ": loss");
            assertEquals(fresh.lossError(), aLossError, 0.0, what + ": loss error");
            assertArrayEquals(fresh.dW(), aDw, what + ": dW");
            assertArrayEquals(Arrays.copyOf(fresh.dX(), size * d), aDx, what + ": dX");
            assertArrayEquals(Arrays.copyOf(fresh.dY(), size * k), aDy, what + ": dY");

            if (size > 0) {
                NaiveGradient expected = new NaiveGradient(x, w, y);
                assertLossClose(expected.loss, aLoss + aLossError, TOLERANCE, what + ": loss");
                assertClose(expected.dW, new Matrix(d, k, aDw), TOLERANCE, what + ": dW");
                assertClose(expected.dX, new Matrix(size, d, aDx), TOLERANCE, what + ": dX");
                assertClose(expected.dY, new Matrix(size, k, aDy), TOLERANCE, what + ": dY");
            } else {
                assertEquals(0.0, aLoss, 0.0, what + ": loss");
                assertArrayEquals(new double[d * k], aDw, 0.0, what + ": dW");
            }
            firstRow += size;
        }
    }

    @Test
    void aBlockAfterOneWithNonFiniteValuesIsUnaffected() {
        Random random = new Random(99);
        int d = 6;
        int k = 4;
        Matrix w = NaiveGradient.random(random, d, k);
        BlockKernel kernel = new BlockKernel(w, ALL);
        double[] poisonX = new double[200 * d];
        Arrays.fill(poisonX, Double.NaN);
        double[] poisonY = new double[200 * k];
        Arrays.fill(poisonY, Double.POSITIVE_INFINITY);
        kernel.apply(new RowBlock(0, 200, d, k, poisonX, poisonY));

        Matrix x = NaiveGradient.random(random, 50, d);
        Matrix y = NaiveGradient.random(random, 50, k);
        BlockGradient g = kernel.apply(new RowBlock(200, 50, d, k, x.values(), y.values()));
        NaiveGradient expected = new NaiveGradient(x, w, y);
        assertLossClose(expected.loss, g.loss() + g.lossError(), TOLERANCE, "loss");
        assertClose(expected.dW, new Matrix(d, k, g.dW().clone()), TOLERANCE, "dW");
        assertClose(expected.dX, new Matrix(50, d, Arrays.copyOf(g.dX(), 50 * d)), TOLERANCE, "dX");
        assertClose(expected.dY, new Matrix(50, k, Arrays.copyOf(g.dY(), 50 * k)), TOLERANCE, "dY");
    }

    @Test
    void blockArraysLongerThanTheirRowsAreReadOnlyUpToTheRows() {
        Random random = new Random(5);
        int d = 7;
        int k = 3;
        int rows = 20;
        Matrix w = NaiveGradient.random(random, d, k);
        Matrix x = NaiveGradient.random(random, rows, d);
        Matrix y = NaiveGradient.random(random, rows, k);
        double[] longX = Arrays.copyOf(x.values(), (rows + 9) * d);
        double[] longY = Arrays.copyOf(y.values(), (rows + 9) * k);
        Arrays.fill(longX, rows * d, longX.length, Double.NaN);
        Arrays.fill(longY, rows * k, longY.length, Double.NaN);
        BlockGradient g = new BlockKernel(w, ALL).apply(new RowBlock(0, rows, d, k, longX, longY));
        NaiveGradient expected = new NaiveGradient(x, w, y);
        assertLossClose(expected.loss, g.loss() + g.lossError(), TOLERANCE, "loss");
        assertClose(expected.dW, new Matrix(d, k, g.dW().clone()), TOLERANCE, "dW");
        assertClose(expected.dX, new Matrix(rows, d, Arrays.copyOf(g.dX(), rows * d)), TOLERANCE, "dX");
        assertClose(expected.dY, new Matrix(rows, k, Arrays.copyOf(g.dY(), rows * k)), TOLERANCE, "dY");
    }

    @Test
    void blockWiderOrNarrowerThanWThrows() {
        Matrix w = new Matrix(3, 2, new double[6]);
        BlockKernel kernel = new BlockKernel(w, ALL);
        assertThrows(IllegalArgumentException.class,
                () -> kernel.apply(new RowBlock(0, 2, 4, 2, new double[8], new double[4])), "d too large");
        assertThrows(IllegalArgumentException.class,
                () -> kernel.apply(new RowBlock(0, 2, 2, 2, new double[4], new double[4])), "d too small");
        assertThrows(IllegalArgumentException.class,
                () -> kernel.apply(new RowBlock(0, 2, 3, 3, new double[6], new double[6])), "k too large");
        assertThrows(IllegalArgumentException.class,
                () -> kernel.apply(new RowBlock(0, 2, 3, 1, new double[6], new double[2])), "k too small");
    }
}
