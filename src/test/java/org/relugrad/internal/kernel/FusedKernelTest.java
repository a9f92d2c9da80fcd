package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
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

/** The fused kernel, on the Vector API and in plain Java, against the plain-loop reference, BigDecimal and fixtures. */
class FusedKernelTest {
    private static final double TOLERANCE = 1e-12;
    private static final Set<Output> ALL = EnumSet.allOf(Output.class);
    private static final int[] ROWS = {0, 1, 2, 3, 4, 5, 7, 8, 33, 45, 258};

    /** Every set of wanted outputs: the loss is always computed, dW, dX and dY each wanted or not. */
    static List<Set<Output>> outputSets() {
        List<Set<Output>> sets = new ArrayList<>();
        for (int bits = 0; bits < 8; bits++) {
            EnumSet<Output> s = EnumSet.of(Output.LOSS);
            if ((bits & 1) != 0) {
                s.add(Output.DW);
            }
            if ((bits & 2) != 0) {
                s.add(Output.DX);
            }
            if ((bits & 4) != 0) {
                s.add(Output.DY);
            }
            sets.add(s);
        }
        return sets;
    }

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>(List.of(
                Arguments.of(1, 1), Arguments.of(1, 4), Arguments.of(4, 1), Arguments.of(3, 4), Arguments.of(4, 4),
                Arguments.of(5, 8), Arguments.of(8, 5), Arguments.of(7, 12), Arguments.of(16, 16),
                Arguments.of(17, 20), Arguments.of(32, 32), Arguments.of(64, 64), Arguments.of(2, 64),
                Arguments.of(64, 2), Arguments.of(6, 60), Arguments.of(41, 24), Arguments.of(12, 8),
                Arguments.of(40, 40)));
        Random random = new Random(8128);
        for (int i = 0; i < 6; i++) {
            cases.add(Arguments.of(1 + random.nextInt(64), 1 + random.nextInt(64)));
        }
        return cases.stream();
    }

    /** The paths that can run W of d × k: plain Java always, the Vector API where it fits the shape. */
    static List<BlockKernel.Path> fusedPaths(int d, int k) {
        return BlockKernel.Path.of(d, k) == BlockKernel.Path.FUSED_VECTOR
                ? List.of(BlockKernel.Path.FUSED_PLAIN, BlockKernel.Path.FUSED_VECTOR)
                : List.of(BlockKernel.Path.FUSED_PLAIN);
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("shapes")
    void fusedKernelMatchesNaiveLoopsForEveryRowCountAndOutputSet(int d, int k) {
        Random random = new Random(31L * d + k);
        Matrix w = NaiveGradient.random(random, d, k);
        for (int rows : ROWS) {
            Matrix x = NaiveGradient.random(random, rows, d);
            Matrix y = NaiveGradient.random(random, rows, k);
            if (rows > 1) {
                // A zero row of X: z = 0 exactly in every column, so that row passes no gradient.
                Arrays.fill(x.values(), d, 2 * d, 0.0);
            }
            NaiveGradient expected = new NaiveGradient(x, w, y);
            RowBlock block = new RowBlock(100, rows, d, k, x.values(), y.values());
            for (Set<Output> outputs : outputSets()) {
                for (BlockKernel.Path path : fusedPaths(d, k)) {
                    String what = path.label() + ", " + rows + " rows, " + outputs;
                    BlockGradient g = new BlockKernel(w, outputs, path).apply(block);
                    assertEquals(100, g.firstRow(), what);
                    assertEquals(rows, g.rows(), what);
                    assertMatches(expected, g, outputs, what);
                    if (rows > 1 && outputs.contains(Output.DX)) {
                        assertArrayEquals(new double[d], Arrays.copyOfRange(g.dX(), d, 2 * d), 0.0,
                                what + ": dX of the zero row");
                    }
                }
            }
        }
    }

    private static void assertMatches(NaiveGradient expected, BlockGradient g, Set<Output> outputs, String what) {
        int rows = g.rows();
        int d = expected.dW.rows();
        int k = expected.dW.cols();
        BlockKernelTest.assertLossClose(expected.loss, g.loss() + g.lossError(), TOLERANCE, what + ": loss");
        if (outputs.contains(Output.DW)) {
            BlockKernelTest.assertClose(expected.dW, new Matrix(d, k, g.dW().clone()), TOLERANCE, what + ": dW");
        } else {
            assertArrayEquals(new double[d * k], g.dW(), 0.0, what + ": dW not wanted stays zero");
        }
        if (outputs.contains(Output.DX)) {
            BlockKernelTest.assertClose(expected.dX, new Matrix(rows, d, Arrays.copyOf(g.dX(), rows * d)),
                    TOLERANCE, what + ": dX");
        }
        if (outputs.contains(Output.DY)) {
            BlockKernelTest.assertClose(expected.dY, new Matrix(rows, k, Arrays.copyOf(g.dY(), rows * k)),
                    TOLERANCE, what + ": dY");
        }
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("shapes")
    void vectorAndPlainJavaGiveTheSameBits(int d, int k) {
        List<BlockKernel.Path> paths = fusedPaths(d, k);
        Random random = new Random(7L * d + 13L * k);
        Matrix w = NaiveGradient.random(random, d, k);
        for (int rows : ROWS) {
            RowBlock block = new RowBlock(0, rows, d, k, NaiveGradient.random(random, rows, d).values(),
                    NaiveGradient.random(random, rows, k).values());
            for (Set<Output> outputs : outputSets()) {
                BlockGradient plain = new BlockKernel(w, outputs, BlockKernel.Path.FUSED_PLAIN).apply(block);
                BlockGradient last = new BlockKernel(w, outputs, paths.get(paths.size() - 1)).apply(block);
                assertSameBits(plain, last, d, k, outputs, rows + " rows, " + outputs);
            }
        }
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("shapes")
    void rowsMadeOnDemandGiveTheSameBitsAsTheSameRowsInArrays(int d, int k) {
        // Row counts around the kernel's chunks (256 rows at d + k = 8, 32 for wide rows) and tiles.
        Random random = new Random(31L * d + k);
        Matrix w = NaiveGradient.random(random, d, k);
        for (int rows : new int[] {1, 7, 31, 32, 33, 255, 256, 257, 700}) {
            double[] x = NaiveGradient.random(random, rows, d).values();
            double[] y = NaiveGradient.random(random, rows, k).values();
            long firstRow = 1000;
            RowBlock.RowMaker maker = (first, count, xTo, yTo) -> {
                int from = (int) (first - firstRow);
                System.arraycopy(x, from * d, xTo, 0, count * d);
                System.arraycopy(y, from * k, yTo, 0, count * k);
            };
            RowBlock inArrays = new RowBlock(firstRow, rows, d, k, x, y);
            RowBlock small = new RowBlock(0, 1, d, k, new double[d], new double[k]);
            for (BlockKernel.Path path : fusedPaths(d, k)) {
                for (Set<Output> outputs : outputSets()) {
                    BlockGradient expected = copy(new BlockKernel(w, outputs, path).apply(inArrays), rows, d, k);
                    BlockGradient made = new BlockKernel(w, outputs, path).apply(small.madeLater(firstRow, rows, maker));
                    assertSameBits(expected, made, d, k, outputs, rows + " rows made on demand, " + path + ", " + outputs);
                }
            }
            RowBlock later = small.madeLater(firstRow, rows, maker);
            assertArrayEquals(x, Arrays.copyOf(later.x(), rows * d), "X made when asked");
            assertArrayEquals(y, Arrays.copyOf(later.y(), rows * k), "Y made when asked");
        }
    }

    private static BlockGradient copy(BlockGradient g, int rows, int d, int k) {
        BlockGradient c = new BlockGradient(d, k);
        c.loss = g.loss;
        c.lossError = g.lossError;
        c.rows = rows;
        System.arraycopy(g.dw, 0, c.dw, 0, g.dw.length);
        c.dx = g.dx == null ? null : g.dx.clone();
        c.dy = g.dy == null ? null : g.dy.clone();
        return c;
    }

    @Test
    void theVectorApiRunsTheShapesItFitsInTheseTests() {
        // The build gives the test JVM the module: otherwise the bit-for-bit comparisons above compare nothing.
        assertTrue(FusedKernel.VECTOR_API, "jdk.incubator.vector is missing");
        assertEquals(BlockKernel.Path.FUSED_VECTOR, BlockKernel.Path.of(16, 16));
        assertEquals(BlockKernel.Path.FUSED_VECTOR, BlockKernel.Path.of(3, 4));
        assertEquals(BlockKernel.Path.FUSED_PLAIN, BlockKernel.Path.of(4, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new BlockKernel(new Matrix(4, 3, new double[12]), ALL, BlockKernel.Path.FUSED_VECTOR));
    }

    @Test
    void wideShapesGoThroughBlasAndNarrowOnesThroughTheFusedKernel() {
        int widest = BlockKernel.Path.FUSED_MAX_WIDTH;
        assertEquals(BlockKernel.Path.BLAS, BlockKernel.Path.of(widest + 1, 4));
        assertEquals(BlockKernel.Path.BLAS, BlockKernel.Path.of(4, widest + 1));
        assertEquals(BlockKernel.Path.BLAS, BlockKernel.Path.of(512, 256));
        assertEquals(BlockKernel.Path.BLAS, new BlockKernel(new Matrix(512, 256, new double[512 * 256]), ALL).path());
        assertEquals(BlockKernel.Path.FUSED_VECTOR, BlockKernel.Path.of(widest, widest));
        assertEquals(BlockKernel.Path.FUSED_PLAIN, BlockKernel.Path.of(1, 1));
    }

    /** Loss, its error, dW and the wanted rows of dX and dY of {@code b} equal to {@code a}'s, bit for bit. */
    static void assertSameBits(BlockGradient a, BlockGradient b, int d, int k, Set<Output> outputs, String what) {
        int rows = a.rows();
        assertEquals(rows, b.rows(), what + ": rows");
        assertEquals(Double.doubleToRawLongBits(a.loss()), Double.doubleToRawLongBits(b.loss()), what + ": loss");
        assertEquals(Double.doubleToRawLongBits(a.lossError()), Double.doubleToRawLongBits(b.lossError()),
                what + ": loss error");
        assertArrayEquals(a.dW(), b.dW(), what + ": dW");
        if (outputs.contains(Output.DX)) {
            assertArrayEquals(Arrays.copyOf(a.dX(), rows * d), Arrays.copyOf(b.dX(), rows * d), what + ": dX");
        }
        if (outputs.contains(Output.DY)) {
            assertArrayEquals(Arrays.copyOf(a.dY(), rows * k), Arrays.copyOf(b.dY(), rows * k), what + ": dY");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 13})
    void theLossIsTheExactSumOfTheComputedResidualsSquaresToAboutOneUlp(int k) {
        // Magnitudes from 2⁻³⁰ to 2³⁰, growing and shrinking along the rows, so squares far above and far below
        // the running sums occur. The computed residuals are −dY / 2, exactly; their squares are summed in BigDecimal.
        Random random = new Random(606 + k);
        int d = 3;
        int rows = 20_003;
        double[] x = new double[rows * d];
        double[] y = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            double scale = Math.scalb(1.0, (int) (30 * Math.sin(i / 997.0)) + random.nextInt(7) - 3);
            for (int l = 0; l < d; l++) {
                x[i * d + l] = random.nextGaussian() * scale;
            }
            for (int j = 0; j < k; j++) {
                y[i * k + j] = random.nextGaussian() * scale;
            }
        }
        Matrix w = NaiveGradient.random(random, d, k);
        RowBlock block = new RowBlock(0, rows, d, k, x, y);
        for (BlockKernel.Path path : fusedPaths(d, k)) {
            BlockGradient g = new BlockKernel(w, ALL, path).apply(block);
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = 0; i < rows * k; i++) {
                BigDecimal r = new BigDecimal(g.dY()[i] / -2.0);
                exact = exact.add(r.multiply(r));
            }
            BigDecimal got = new BigDecimal(g.loss()).add(new BigDecimal(g.lossError()));
            double relative = got.subtract(exact).abs().divide(exact, MathContext.DECIMAL64).doubleValue();
            String what = path.label() + ", k = " + k;
            assertTrue(relative <= 1e-27, what + ": relative error of loss + lossError " + relative);
            double rounded = exact.doubleValue();
            assertEquals(rounded, g.loss(), Math.ulp(rounded), what + ": loss vs the correctly rounded sum");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 10})
    void seedFixtureMatchesNumpyOnEveryFusedPath(int blockRows) {
        Fixture f = Fixture.load("seed");
        for (BlockKernel.Path path : fusedPaths(f.w().rows(), f.w().cols())) {
            Blocked got = runInBlocks(f, blockRows, path);
            BlockKernelTest.assertLossClose(f.loss(), got.sum.loss(), TOLERANCE, path.label() + ": loss");
            BlockKernelTest.assertClose(f.dW(), got.sum.dW(), TOLERANCE, path.label() + ": dW");
            BlockKernelTest.assertClose(f.dX(), got.dX, TOLERANCE, path.label() + ": dX");
            BlockKernelTest.assertClose(f.dY(), got.dY, TOLERANCE, path.label() + ": dY");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5, 6})
    void tiesFixtureMatchesExactlyOnEveryFusedPathWithNoGradientThroughZEqualZero(int blockRows) {
        Fixture f = Fixture.load("ties");
        for (BlockKernel.Path path : fusedPaths(f.w().rows(), f.w().cols())) {
            Blocked got = runInBlocks(f, blockRows, path);
            assertEquals(f.loss(), got.sum.loss(), 0.0, path.label() + ": loss");
            assertArrayEquals(f.dW().values(), got.sum.dW().values(), 0.0, path.label() + ": dW");
            assertArrayEquals(f.dX().values(), got.dX.values(), 0.0, path.label() + ": dX");
            assertArrayEquals(f.dY().values(), got.dY.values(), 0.0, path.label() + ": dY");
        }
    }

    private record Blocked(GradientSum sum, Matrix dX, Matrix dY) {
    }

    private static Blocked runInBlocks(Fixture f, int blockRows, BlockKernel.Path path) {
        int n = f.x().rows();
        int d = f.w().rows();
        int k = f.w().cols();
        BlockKernel kernel = new BlockKernel(f.w(), ALL, path);
        GradientSum sum = new GradientSum(d, k);
        double[] dx = new double[n * d];
        double[] dy = new double[n * k];
        for (int first = 0; first < n; first += blockRows) {
            int count = Math.min(blockRows, n - first);
            BlockGradient g = kernel.apply(BlockKernelTest.block(f.x(), f.y(), first, count));
            sum.add(g);
            System.arraycopy(g.dX(), 0, dx, first * d, count * d);
            System.arraycopy(g.dY(), 0, dy, first * k, count * k);
        }
        return new Blocked(sum, new Matrix(n, d, dx), new Matrix(n, k, dy));
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("shapes")
    void aBlockGivesTheSameBitsWhateverTheKernelComputedBefore(int d, int k) {
        Random random = new Random(99L * d + k);
        Matrix w = NaiveGradient.random(random, d, k);
        RowBlock block = new RowBlock(0, 37, d, k, NaiveGradient.random(random, 37, d).values(),
                NaiveGradient.random(random, 37, k).values());
        double[] poisonX = new double[101 * d];
        Arrays.fill(poisonX, Double.NaN);
        double[] hugeY = new double[101 * k];
        Arrays.fill(hugeY, -Double.MAX_VALUE);
        RowBlock poison = new RowBlock(0, 101, d, k, poisonX, hugeY);
        for (BlockKernel.Path path : fusedPaths(d, k)) {
            BlockGradient fresh = new BlockKernel(w, ALL, path).apply(block);
            double[] freshDw = fresh.dW().clone();
            double[] freshDx = Arrays.copyOf(fresh.dX(), 37 * d);
            double[] freshDy = Arrays.copyOf(fresh.dY(), 37 * k);
            BlockKernel used = new BlockKernel(w, ALL, path);
            used.apply(poison);
            BlockKernel handedOn = BlockKernel.reusing(used, w, false, ALL);
            for (BlockKernel kernel : List.of(used, handedOn)) {
                BlockGradient again = kernel.apply(block);
                String what = path.label() + (kernel == used ? ", same kernel" : ", buffers handed on");
                assertEquals(Double.doubleToRawLongBits(fresh.loss()), Double.doubleToRawLongBits(again.loss()),
                        what + ": loss");
                assertEquals(Double.doubleToRawLongBits(fresh.lossError()),
                        Double.doubleToRawLongBits(again.lossError()), what + ": loss error");
                assertArrayEquals(freshDw, again.dW(), what + ": dW");
                assertArrayEquals(freshDx, Arrays.copyOf(again.dX(), 37 * d), what + ": dX");
                assertArrayEquals(freshDy, Arrays.copyOf(again.dY(), 37 * k), what + ": dY");
            }
        }
    }
}
