package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;

/**
 * Blocks kept as float32: on every path, the same bits as the same values given as float64 (which the kernel's
 * other tests check against the naive loops), and close to the naive loops over the widened values.
 */
class Float32BlockTest {
    /** Row counts around the fused kernel's chunks (256 rows at d + k = 8, 32 for wide rows) and tiles. */
    private static final int[] ROWS = {0, 1, 3, 7, 8, 31, 32, 33, 255, 256, 257, 700};

    static Stream<Arguments> shapes() {
        // Narrow shapes run fused (vector and plain Java), wide ones BLAS; every shape runs on BLAS too.
        return Stream.of(Arguments.of(1, 1), Arguments.of(3, 4), Arguments.of(4, 4), Arguments.of(4, 3),
                Arguments.of(7, 12), Arguments.of(16, 16), Arguments.of(64, 64), Arguments.of(70, 5),
                Arguments.of(3, 80));
    }

    static List<BlockKernel.Path> paths(int d, int k) {
        List<BlockKernel.Path> paths = new ArrayList<>();
        if (BlockKernel.Path.of(d, k) != BlockKernel.Path.BLAS) {
            paths.addAll(FusedKernelTest.fusedPaths(d, k));
        }
        paths.add(BlockKernel.Path.BLAS);
        return paths;
    }

    /** Values of mixed sign and magnitude that are float32, so widening them loses nothing. */
    private static float[] floats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(9) - 4));
        }
        return values;
    }

    private static double[] widenedByHand(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("shapes")
    void aFloat32BlockGivesTheBitsOfTheSameValuesAsFloat64OnEveryPathForEveryOutputSet(int d, int k) {
        Random random = new Random(97L * d + k);
        Matrix w = NaiveGradient.random(random, d, k);
        for (int rows : ROWS) {
            float[] xf = floats(random, rows * d);
            float[] yf = floats(random, rows * k);
            if (rows > 2) {
                // A zero row of X: z = 0 exactly, so that row passes no gradient, in both types alike.
                Arrays.fill(xf, d, 2 * d, 0f);
            }
            double[] x = widenedByHand(xf);
            double[] y = widenedByHand(yf);
            RowBlock wide = new RowBlock(500, rows, d, k, x, y);
            RowBlock narrow = new RowBlock(500, rows, d, k, xf, yf);
            NaiveGradient naive = new NaiveGradient(new Matrix(rows, d, x), w, new Matrix(rows, k, y));
            for (BlockKernel.Path path : paths(d, k)) {
                for (Set<Output> outputs : FusedKernelTest.outputSets()) {
                    String what = path.label() + ", " + rows + " rows, " + outputs;
                    BlockGradient expected = copy(new BlockKernel(w, outputs, path).apply(wide), d, k);
                    BlockGradient got = new BlockKernel(w, outputs, path).apply(narrow);
                    assertEquals(500, got.firstRow(), what);
                    FusedKernelTest.assertSameBits(expected, got, d, k, outputs, what);
                    BlockKernelTest.assertLossClose(naive.loss, got.loss() + got.lossError(), 1e-12,
                            what + ": loss against the naive loops");
                    if (outputs.contains(Output.DW)) {
                        BlockKernelTest.assertClose(naive.dW, new Matrix(d, k, got.dW().clone()), 1e-12,
                                what + ": dW against the naive loops");
                    }
                    if (outputs.contains(Output.DY)) {
                        BlockKernelTest.assertClose(naive.dY, new Matrix(rows, k, Arrays.copyOf(got.dY(), rows * k)),
                                1e-12, what + ": dY against the naive loops");
                    }
                }
            }
        }
    }

    @Test
    void aKernelReusedAcrossFloat64AndFloat32BlocksOfOtherSizesGivesEachBlocksOwnBits() {
        int d = 4;
        int k = 4;
        Random random = new Random(5);
        Matrix w = NaiveGradient.random(random, d, k);
        Set<Output> all = Set.of(Output.LOSS, Output.DW, Output.DX, Output.DY);
        for (BlockKernel.Path path : paths(d, k)) {
            BlockKernel kernel = new BlockKernel(w, all, path);
            for (int rows : new int[] {700, 33, 1000, 5, 257}) {
                float[] xf = floats(random, rows * d);
                float[] yf = floats(random, rows * k);
                RowBlock wide = new RowBlock(0, rows, d, k, widenedByHand(xf), widenedByHand(yf));
                BlockGradient expected = copy(new BlockKernel(w, all, path).apply(wide), d, k);
                FusedKernelTest.assertSameBits(expected, kernel.apply(new RowBlock(0, rows, d, k, xf, yf)), d, k, all,
                        path.label() + ", " + rows + " float32 rows");
                FusedKernelTest.assertSameBits(expected, kernel.apply(wide), d, k, all, path.label() + ", " + rows + " float64 rows");
            }
        }
    }

    @Test
    void aFloat32BlockKeepsItsValuesAndHandsOutWidenedCopies() {
        float[] xf = {1.5f, -0x1.fffffep127f, 0x1p-149f, 3f, 0.1f, -0f};
        float[] yf = {0.3f, 7f, -2f};
        RowBlock block = new RowBlock(9, 3, 2, 1, xf, yf);
        assertTrue(block.float32());
        assertEquals(xf, block.xFloat());
        assertEquals(yf, block.yFloat());
        double[] x = block.x();
        assertArrayEquals(widenedByHand(xf), x);
        assertArrayEquals(new double[] {0.30000001192092896, 7, -2}, block.y());
        x[0] = 99;
        assertEquals(1.5f, block.xFloat()[0], "x() is a copy: the block's values stay as they are");

        RowBlock float64 = new RowBlock(9, 3, 2, 1, new double[6], new double[3]);
        assertFalse(float64.float32());
        assertThrows(IllegalStateException.class, float64::xFloat);
        assertThrows(IllegalArgumentException.class, () -> new RowBlock(0, 4, 2, 1, xf, yf));
    }

    @Test
    void aFloat32BlockIsSerializedAsFloat32InAboutHalfTheBytes() throws Exception {
        Random random = new Random(12);
        float[] xf = floats(random, 1000 * 4);
        float[] yf = floats(random, 1000 * 3);
        byte[] narrow = serialized(new RowBlock(77, 1000, 4, 3, xf, yf));
        byte[] wide = serialized(new RowBlock(77, 1000, 4, 3, widenedByHand(xf), widenedByHand(yf)));
        assertTrue(narrow.length < 0.52 * wide.length, narrow.length + " bytes against " + wide.length);
        RowBlock back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(narrow))) {
            back = (RowBlock) in.readObject();
        }
        assertTrue(back.float32());
        assertEquals(77, back.firstRow());
        assertArrayEquals(xf, back.xFloat());
        assertArrayEquals(yf, back.yFloat());
    }

    private static byte[] serialized(RowBlock block) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(block);
        }
        return bytes.toByteArray();
    }

    private static BlockGradient copy(BlockGradient g, int d, int k) {
        BlockGradient c = new BlockGradient(d, k);
        c.loss = g.loss;
        c.lossError = g.lossError;
        c.firstRow = g.firstRow;
        c.rows = g.rows;
        System.arraycopy(g.dw, 0, c.dw, 0, g.dw.length);
        c.dx = g.dx == null ? null : g.dx.clone();
        c.dy = g.dy == null ? null : g.dy.clone();
        return c;
    }
}
