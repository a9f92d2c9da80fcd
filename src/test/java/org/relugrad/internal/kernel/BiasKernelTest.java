package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;

/**
 * The kernel with a bias, z = x W + b, on every path: against plain loops over X with a column of ones and W with b
 * as its last row, and, on the fused paths, against the kernel without a bias on those augmented rows, bit for bit.
 */
class BiasKernelTest {
    private static final int[] ROWS = {0, 1, 3, 4, 8, 33, 45, 258};

    /** Loss always; dW, db, dX, dY each wanted or not. */
    static List<Set<Output>> outputSets() {
        List<Set<Output>> sets = new ArrayList<>();
        Output[] optional = {Output.DW, Output.DB, Output.DX, Output.DY};
        for (int bits = 0; bits < 16; bits++) {
            EnumSet<Output> s = EnumSet.of(Output.LOSS);
            for (int o = 0; o < optional.length; o++) {
                if ((bits & 1 << o) != 0) {
                    s.add(optional[o]);
                }
            }
            sets.add(s);
        }
        return sets;
    }

    /** W with b as its last row. */
    static Matrix withRow(Matrix w, double[] b) {
        double[] v = Arrays.copyOf(w.values(), w.values().length + b.length);
        System.arraycopy(b, 0, v, w.values().length, b.length);
        return new Matrix(w.rows() + 1, w.cols(), v);
    }

    static List<BlockKernel.Path> paths(int d, int k) {
        List<BlockKernel.Path> paths = new ArrayList<>(FusedKernelTest.fusedPaths(d, k));
        paths.add(BlockKernel.Path.BLAS);
        return paths;
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("org.relugrad.internal.kernel.FusedKernelTest#shapes")
    void theBiasIsALastColumnOfOnes(int d, int k) {
        Random random = new Random(41L * d + k);
        Matrix w = NaiveGradient.random(random, d, k);
        double[] b = NaiveGradient.random(random, 1, k).values();
        b[0] = 0.0;
        Matrix wb = withRow(w, b);
        for (int rows : ROWS) {
            Matrix x = NaiveGradient.random(random, rows, d);
            Matrix y = NaiveGradient.random(random, rows, k);
            if (rows > 1) {
                // A zero row of X: z = b exactly, so z = 0 in column 0, where no gradient passes.
                Arrays.fill(x.values(), d, 2 * d, 0.0);
            }
            Matrix xOnes = NaiveGradient.withOnes(x);
            NaiveGradient expected = new NaiveGradient(xOnes, wb, y);
            RowBlock block = new RowBlock(7, rows, d, k, x.values(), y.values());
            RowBlock augmented = new RowBlock(7, rows, d + 1, k, xOnes.values(), y.values());
            for (Set<Output> outputs : outputSets()) {
                for (BlockKernel.Path path : paths(d, k)) {
                    String what = path.label() + ", " + rows + " rows, " + outputs;
                    BlockGradient g = new BlockKernel(wb, true, outputs, path).apply(block);
                    assertEquals(rows, g.rows(), what);
                    assertEquals(7, g.firstRow(), what);
                    assertEquals((d + 1) * k, g.dW().length, what + ": dW then db");
                    BlockKernelTest.assertLossClose(expected.loss, g.loss() + g.lossError(), 1e-12, what + ": loss");
                    double[] dW = Arrays.copyOf(g.dW(), d * k);
                    double[] db = Arrays.copyOfRange(g.dW(), d * k, (d + 1) * k);
                    double[] expectedDW = Arrays.copyOf(expected.dW.values(), d * k);
                    double[] expectedDB = Arrays.copyOfRange(expected.dW.values(), d * k, (d + 1) * k);
                    if (outputs.contains(Output.DW)) {
                        BlockKernelTest.assertClose(new Matrix(d, k, expectedDW), new Matrix(d, k, dW), 1e-12,
                                what + ": dW");
                    } else {
                        assertArrayEquals(new double[d * k], dW, 0.0, what + ": dW not wanted");
                    }
                    if (outputs.contains(Output.DB)) {
                        BlockKernelTest.assertClose(new Matrix(1, k, expectedDB), new Matrix(1, k, db), 1e-12,
                                what + ": db");
                    } else {
                        assertArrayEquals(new double[k], db, 0.0, what + ": db not wanted");
                    }
                    if (outputs.contains(Output.DX)) {
                        double[] expectedDX = new double[rows * d];
                        for (int i = 0; i < rows; i++) {
                            System.arraycopy(expected.dX.values(), i * (d + 1), expectedDX, i * d, d);
                        }
                        BlockKernelTest.assertClose(new Matrix(rows, d, expectedDX),
                                new Matrix(rows, d, Arrays.copyOf(g.dX(), rows * d)), 1e-12, what + ": dX");
                    }
                    if (outputs.contains(Output.DY)) {
                        BlockKernelTest.assertClose(expected.dY, new Matrix(rows, k, Arrays.copyOf(g.dY(), rows * k)),
                                1e-12, what + ": dY");
                    }
                    if (path != BlockKernel.Path.BLAS) {
                        assertSameAsAugmented(g, wb, augmented, outputs, d, k, what);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "d={0} k={1}")
    @MethodSource("org.relugrad.internal.kernel.FusedKernelTest#shapes")
    void rowsMadeOnDemandWithABiasGiveTheBitsOfTheRowsInArrays(int d, int k) {
        Random random = new Random(59L * d + k);
        Matrix wb = withRow(NaiveGradient.random(random, d, k), NaiveGradient.random(random, 1, k).values());
        // Loss, dW and db only: the kernel then makes and computes the rows a chunk at a time.
        Set<Output> outputs = EnumSet.of(Output.LOSS, Output.DW, Output.DB);
        for (int rows : new int[] {1, 45, 1000, 3001}) {
            Matrix x = NaiveGradient.random(random, rows, d);
            Matrix y = NaiveGradient.random(random, rows, k);
            RowBlock.RowMaker maker = (first, count, xs, ys) -> {
                System.arraycopy(x.values(), (int) (first - 5) * d, xs, 0, count * d);
                System.arraycopy(y.values(), (int) (first - 5) * k, ys, 0, count * k);
            };
            RowBlock inArrays = new RowBlock(5, rows, d, k, x.values().clone(), y.values().clone());
            RowBlock onDemand = new RowBlock(0, 1, d, k, new double[d], new double[k]).madeLater(5, rows, maker);
            for (BlockKernel.Path path : FusedKernelTest.fusedPaths(d, k)) {
                BlockGradient a = new BlockKernel(wb, true, outputs, path).apply(inArrays);
                double loss = a.loss();
                double lossError = a.lossError();
                double[] dw = a.dW().clone();
                BlockGradient b = new BlockKernel(wb, true, outputs, path).apply(onDemand);
                String what = path.label() + ", " + rows + " rows";
                assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(b.loss()), what);
                assertEquals(Double.doubleToRawLongBits(lossError), Double.doubleToRawLongBits(b.lossError()), what);
                assertArrayEquals(dw, b.dW(), what + ": dW and db");
            }
        }
    }

    /**
     * The fused kernel adds b last and ∂f/∂b row after row, as it would a last column of ones: the same bits as the
     * kernel without a bias on the augmented rows (on the plain-Java path, which runs every shape).
     */
    private static void assertSameAsAugmented(BlockGradient g, Matrix wb, RowBlock augmented, Set<Output> outputs,
                                              int d, int k, String what) {
        EnumSet<Output> plainOutputs = EnumSet.copyOf(outputs);
        boolean wantDB = plainOutputs.remove(Output.DB);
        boolean wantDW = outputs.contains(Output.DW);
        if (wantDB != wantDW) {
            plainOutputs.add(Output.DW);
        }
        BlockGradient a = new BlockKernel(wb, plainOutputs, BlockKernel.Path.FUSED_PLAIN).apply(augmented);
        int rows = g.rows();
        assertEquals(Double.doubleToRawLongBits(a.loss()), Double.doubleToRawLongBits(g.loss()), what + ": loss bits");
        assertEquals(Double.doubleToRawLongBits(a.lossError()), Double.doubleToRawLongBits(g.lossError()),
                what + ": loss error bits");
        if (wantDW) {
            assertArrayEquals(Arrays.copyOf(a.dW(), d * k), Arrays.copyOf(g.dW(), d * k), what + ": dW bits");
        }
        if (wantDB) {
            assertArrayEquals(Arrays.copyOfRange(a.dW(), d * k, (d + 1) * k),
                    Arrays.copyOfRange(g.dW(), d * k, (d + 1) * k), what + ": db bits");
        }
        if (outputs.contains(Output.DX)) {
            for (int i = 0; i < rows; i++) {
                assertArrayEquals(Arrays.copyOfRange(a.dX(), i * (d + 1), i * (d + 1) + d),
                        Arrays.copyOfRange(g.dX(), i * d, i * d + d), what + ": dX bits, row " + i);
            }
        }
        if (outputs.contains(Output.DY)) {
            assertArrayEquals(Arrays.copyOf(a.dY(), rows * k), Arrays.copyOf(g.dY(), rows * k), what + ": dY bits");
        }
    }
}
