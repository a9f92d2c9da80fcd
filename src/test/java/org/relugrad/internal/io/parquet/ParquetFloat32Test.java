package org.relugrad.internal.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.ParquetTables;
import org.relugrad.ParquetTables.Shape;
import org.relugrad.SharedSpark;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.out.CollectedRows;
import org.relugrad.internal.kernel.Output;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Parquet tables of float (float32) columns against the same values as double: float32 blocks where X and Y are
 * both float, float64 where they are mixed or the rows go through the shuffle, and in every case the bits of the
 * double table's loss, dW, dX and dY, for any layout, encoding and partitioning.
 */
class ParquetFloat32Test extends SharedSpark {
    private static final int N = 3000;
    private static final int D = 5;
    private static final int K = 3;
    private static final List<Shape> SHAPES = List.of(
            new Shape(true, false, false, false, 3, 700, 90),
            new Shape(true, true, true, true, 2, 1000, 300),
            new Shape(false, false, true, false, 1, 3000, 3000),
            new Shape(false, true, false, true, 2, 500, 64));

    @TempDir
    static Path tmp;

    private Matrix x;
    private Matrix y;
    private Matrix wMatrix;
    private String w;

    @BeforeAll
    void values() throws Exception {
        Random random = new Random(77);
        x = floats(random, N, D, 1.0);
        y = floats(random, N, K, 0.5);
        wMatrix = NaiveGradient.random(random, D, K);
        w = OutputFiles.writeCsv(tmp.resolve("W.csv"), wMatrix).toString();
    }

    /** A matrix of float32 values, held as doubles. */
    private static Matrix floats(Random random, int rows, int cols, double scale) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return new Matrix(rows, cols, values);
    }

    private ParquetInput table(String name, Shape shape, boolean xFloat, boolean yFloat, long[] order,
                               boolean withRow) {
        Path dir = ParquetTables.write(tmp.resolve(name), x, y, order, withRow, shape, xFloat, yFloat);
        return new ParquetInput(dir.toString(), w, withRow ? "row" : null);
    }

    private record Run(GradientResult result, Matrix dX, Matrix dY, boolean float32) {
    }

    private Run run(RowRangeInput input, int partitions, int blockRows, boolean cached) {
        GradientJob job = new GradientJob(sc);
        EnumSet<Output> all = EnumSet.allOf(Output.class);
        CollectedRows rows = new CollectedRows();
        PreparedInput prepared = job.prepare(input, partitions, blockRows);
        GradientResult result;
        if (cached) {
            PreparedInput kept = job.cache(prepared, all);
            try {
                result = job.run(kept, all, rows);
            } finally {
                job.release(kept);
            }
        } else {
            result = job.run(prepared, all, rows);
        }
        return new Run(result, rows.rows(Output.DX), rows.rows(Output.DY), input.float32());
    }

    private static void assertSameBits(Run expected, Run got, String what) {
        assertEquals(Double.doubleToRawLongBits(expected.result().loss()),
                Double.doubleToRawLongBits(got.result().loss()), what + ": loss");
        assertArrayEquals(expected.result().dW().values(), got.result().dW().values(), what + ": dW");
        assertArrayEquals(expected.dX().values(), got.dX().values(), what + ": dX");
        assertArrayEquals(expected.dY().values(), got.dY().values(), what + ": dY");
    }

    @Test
    void floatTablesGiveTheBitsOfTheSameValuesAsDoubleInEveryLayoutAndPartitioning() {
        long[] order = ParquetTables.inOrder(N);
        ParquetInput double64 = table("double", SHAPES.get(0), false, false, order, false);
        NaiveGradient naive = new NaiveGradient(x, wMatrix, y);
        // A block's sums are rounded per block: the bits depend on the block size, never on the partitioning.
        int[] blockRows = {256, 100, 1024};
        Run[] float64 = new Run[blockRows.length];
        for (int b = 0; b < blockRows.length; b++) {
            float64[b] = run(double64, 2, blockRows[b], false);
            assertFalse(float64[b].float32());
            assertTrue(NaiveGradient.relativeError(float64[b].result().dW(), naive.dW) < 1e-12,
                    "dW against the naive loops");
        }
        for (int s = 0; s < SHAPES.size(); s++) {
            Shape shape = SHAPES.get(s);
            ParquetInput input = table("float" + s, shape, true, true, order, false);
            for (int[] p : new int[][] {{1, 0}, {3, 1}, {2, 2}}) {
                for (boolean cached : new boolean[] {false, true}) {
                    int rows = blockRows[p[1]];
                    String what = shape + ", " + p[0] + " partitions of blocks of " + rows + (cached ? ", cached" : "");
                    Run float32 = run(input, p[0], rows, cached);
                    assertTrue(float32.float32(), what + ": kept as float32");
                    assertSameBits(float64[p[1]], float32, what);
                }
            }
        }
    }

    @Test
    void aFloatTableIsReadIntoFloat32BlocksHoldingExactlyItsValues() {
        ParquetInput input = table("blocks", SHAPES.get(1), true, true, ParquetTables.inOrder(N), false);
        input.open(new org.apache.hadoop.conf.Configuration());
        input.index(new OneByOne());
        assertTrue(input.float32());
        try (RowRangeInput.RangeReader reader = input.reader(650, 2100)) {
            RowBlock previous = null;
            for (long first = 650; first < 2100; first += 290) {
                RowBlock block = reader.next(290, previous);
                assertTrue(block.float32());
                assertEquals(first, block.firstRow());
                for (int i = 0; i < 290 * D; i++) {
                    assertEquals(x.values()[(int) first * D + i], block.xFloat()[i], 0.0, "x at " + first + "+" + i);
                }
                for (int i = 0; i < 290 * K; i++) {
                    assertEquals(y.values()[(int) first * K + i], block.yFloat()[i], 0.0, "y at " + first + "+" + i);
                }
                previous = block;
            }
        }
    }

    @Test
    void mixedTypesAndShuffledRowsAreKeptAsFloat64WithTheSameBits() {
        long[] order = ParquetTables.inOrder(N);
        Run float64 = run(table("double2", SHAPES.get(2), false, false, order, false), 2, 512, false);
        Run mixed = run(table("mixed", SHAPES.get(2), true, false, order, false), 2, 512, false);
        assertFalse(mixed.float32());
        assertSameBits(float64, mixed, "float X, double Y");
        Run mixedArrays = run(table("mixedArrays", SHAPES.get(0), false, true, order, false), 2, 512, true);
        assertFalse(mixedArrays.float32());
        assertSameBits(float64, mixedArrays, "double x, float y");
        Run shuffled = run(table("shuffled", SHAPES.get(0), true, true, ParquetTables.shuffled(N, 3), true), 2, 512,
                true);
        assertFalse(shuffled.float32(), "rows brought to their blocks by the shuffle are float64");
        assertSameBits(float64, shuffled, "float table with a shuffled row column");
        Run inOrder = run(table("numbered", SHAPES.get(3), true, true, order, true), 2, 512, true);
        assertTrue(inOrder.float32(), "a row column in file order reads by range, as float32");
        assertSameBits(float64, inOrder, "float table with a row column in file order");
    }

    @Test
    void aFloatTablesCachedBlocksTakeAboutHalfTheBytesOfADoubleTables() {
        long[] order = ParquetTables.inOrder(N);
        long float64 = cachedBytes(table("cacheDouble", SHAPES.get(0), false, false, order, false));
        long float32 = cachedBytes(table("cacheFloat", SHAPES.get(0), true, true, order, false));
        assertTrue(float64 >= (long) N * (D + K) * 8, float64 + " bytes");
        assertTrue(float32 >= (long) N * (D + K) * 4 && float32 <= 0.55 * float64,
                float32 + " bytes against " + float64);
    }

    private long cachedBytes(ParquetInput input) {
        GradientJob job = new GradientJob(sc);
        PreparedInput kept = job.cache(job.prepare(input, 2, 500), EnumSet.of(Output.LOSS));
        try {
            return job.cacheFit(kept).cachedBytes();
        } finally {
            job.release(kept);
        }
    }

    @Test
    void aNaNOrInfinityInAFloatColumnIsAnErrorNamingTheTableTheRowAndTheColumn() {
        double[] xs = x.values().clone();
        xs[1234 * D + 2] = Double.NaN;
        double[] ys = y.values().clone();
        ys[2001 * K + 1] = Double.NEGATIVE_INFINITY;
        for (int s : new int[] {0, 2}) {
            Path dir = ParquetTables.write(tmp.resolve("bad" + s), new Matrix(N, D, xs), new Matrix(N, K, ys),
                    ParquetTables.inOrder(N), false, SHAPES.get(s), true, true);
            ParquetInput input = new ParquetInput(dir.toString(), w, null);
            input.open(new org.apache.hadoop.conf.Configuration());
            input.index(new OneByOne());
            assertTrue(input.float32());
            String column = SHAPES.get(s).arrays() ? "x[2]" : "x2";
            String yColumn = SHAPES.get(s).arrays() ? "y[1]" : "y1";
            InputException nan = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                    () -> input.read(1200, 100));
            assertTrue(nan.getMessage().startsWith(dir + " row 1234: " + column + " is NaN; values must be finite "
                    + "numbers ("), nan.getMessage());
            InputException inf = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                    () -> input.read(2000, 10));
            assertTrue(inf.getMessage().startsWith(dir + " row 2001: " + yColumn + " is -Infinity"),
                    inf.getMessage());
        }
    }

    /** Runs the work items one after another. */
    private static final class OneByOne implements org.relugrad.internal.io.ParallelWork {
        @Override
        public <T extends java.io.Serializable, R extends java.io.Serializable> List<R> map(List<T> in,
                                                                                          Task<T, R> fn) {
            return in.stream().map(fn::apply).toList();
        }
    }
}
