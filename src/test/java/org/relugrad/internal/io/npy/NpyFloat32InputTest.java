package org.relugrad.internal.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.internal.engine.CacheFit;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.out.CollectedRows;
import org.relugrad.internal.kernel.Output;
import org.relugrad.internal.kernel.RowBlock;

/**
 * float32 .npy files, written here byte by byte, against the same values written as float64: the blocks stay
 * float32, and loss, dW, dX and dY are the float64 run's bits for any partitioning, read once or cached, while the
 * cached blocks take about half the bytes.
 */
class NpyFloat32InputTest extends SharedSpark {
    private static final int N = 20_000;
    private static final int D = 4;
    private static final int K = 4;

    @TempDir
    static Path tmp;

    private float[] x32;
    private float[] y32;
    private Matrix w;

    @BeforeAll
    void files() {
        Random random = new Random(2024);
        x32 = new float[N * D];
        y32 = new float[N * K];
        for (int i = 0; i < x32.length; i++) {
            x32[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < y32.length; i++) {
            y32[i] = (float) (random.nextGaussian() * 0.5);
        }
        w = NaiveGradient.random(random, D, K);
        NpyFile.writeFloat32(tmp.resolve("X32.npy"), N, D, x32);
        NpyFile.writeFloat32(tmp.resolve("Y32.npy"), N, K, y32);
        NpyFile.write(tmp.resolve("X64.npy"), new Matrix(N, D, widened(x32)));
        NpyFile.write(tmp.resolve("Y64.npy"), new Matrix(N, K, widened(y32)));
        NpyFile.write(tmp.resolve("W.npy"), w);
    }

    private static double[] widened(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    private static NpyInput input(String x, String y) {
        return new NpyInput(tmp.resolve(x).toString(), tmp.resolve(y).toString(), tmp.resolve("W.npy").toString());
    }

    private record Run(GradientResult result, Matrix dX, Matrix dY) {
    }

    private Run run(NpyInput input, int partitions, int blockRows, boolean cached) {
        GradientJob job = new GradientJob(sc);
        EnumSet<Output> all = EnumSet.allOf(Output.class);
        CollectedRows rows = new CollectedRows();
        PreparedInput prepared = job.prepare(input, partitions, blockRows);
        if (cached) {
            PreparedInput kept = job.cache(prepared, all);
            try {
                return new Run(job.run(kept, all, rows), rows.rows(Output.DX), rows.rows(Output.DY));
            } finally {
                job.release(kept);
            }
        }
        return new Run(job.run(prepared, all, rows), rows.rows(Output.DX), rows.rows(Output.DY));
    }

    @Test
    void float32FilesGiveTheBitsOfTheSameValuesAsFloat64ForAnyPartitioningReadOnceOrCached() {
        NaiveGradient naive = new NaiveGradient(new Matrix(N, D, widened(x32)), w, new Matrix(N, K, widened(y32)));
        Run float64 = run(input("X64.npy", "Y64.npy"), 3, 1000, false);
        assertTrue(NaiveGradient.relativeError(float64.result().dW(), naive.dW) < 1e-12, "float64 dW against naive");
        assertEquals(naive.loss, float64.result().loss(), Math.abs(naive.loss) * 1e-12, "float64 loss against naive");
        int[][] settings = {{3, 1000}, {1, 1000}, {4, 1000}, {2, 1000}};
        for (int[] s : settings) {
            for (boolean cached : new boolean[] {false, true}) {
                String what = s[0] + " partitions, " + (cached ? "cached" : "read once");
                Run float32 = run(input("X32.npy", "Y32.npy"), s[0], s[1], cached);
                assertEquals(Double.doubleToRawLongBits(float64.result().loss()),
                        Double.doubleToRawLongBits(float32.result().loss()), what + ": loss");
                assertArrayEquals(float64.result().dW().values(), float32.result().dW().values(), what + ": dW");
                assertArrayEquals(float64.dX().values(), float32.dX().values(), what + ": dX");
                assertArrayEquals(float64.dY().values(), float32.dY().values(), what + ": dY");
            }
        }
    }

    @Test
    void theCachedFloat32BlocksTakeAboutHalfTheBytesOfFloat64s() {
        long float64 = cachedBytes(input("X64.npy", "Y64.npy"));
        long float32 = cachedBytes(input("X32.npy", "Y32.npy"));
        // The values alone: 20,000 rows of 8 values, 1.28 MB as float64.
        assertTrue(float64 >= (long) N * (D + K) * 8, "float64 cache of " + float64 + " bytes");
        assertTrue(float32 >= (long) N * (D + K) * 4, "float32 cache of " + float32 + " bytes");
        assertTrue(float32 <= 0.55 * float64, "float32 cache of " + float32 + " bytes against " + float64);
    }

    private long cachedBytes(NpyInput input) {
        GradientJob job = new GradientJob(sc);
        PreparedInput kept = job.cache(job.prepare(input, 2, 4096), EnumSet.of(Output.LOSS));
        try {
            CacheFit fit = job.cacheFit(kept);
            assertTrue(fit.fits(), "the test's blocks fit in memory");
            return fit.cachedBytes();
        } finally {
            job.release(kept);
        }
    }

    @Test
    void bothFilesFloat32GiveFloat32BlocksAndAMixedPairGivesFloat64Ones() {
        Configuration conf = new Configuration();
        NpyInput both = input("X32.npy", "Y32.npy");
        both.open(conf);
        assertTrue(both.float32());
        RowBlock block = both.read(17, 5);
        assertTrue(block.float32());
        assertArrayEquals(java.util.Arrays.copyOfRange(x32, 17 * D, 22 * D), block.xFloat());
        assertArrayEquals(java.util.Arrays.copyOfRange(y32, 17 * K, 22 * K), block.yFloat());

        NpyInput mixed = input("X32.npy", "Y64.npy");
        mixed.open(conf);
        assertFalse(mixed.float32());
        RowBlock widened = mixed.read(17, 5);
        assertFalse(widened.float32());
        assertArrayEquals(widened(java.util.Arrays.copyOfRange(x32, 17 * D, 22 * D)), widened.x());

        NpyInput float64 = input("X64.npy", "Y64.npy");
        float64.open(conf);
        assertFalse(float64.float32());
        Run fromMixed = run(mixed, 2, 3000, false);
        Run fromFloat64 = run(float64, 2, 3000, false);
        assertEquals(Double.doubleToRawLongBits(fromFloat64.result().loss()),
                Double.doubleToRawLongBits(fromMixed.result().loss()), "mixed: loss");
        assertArrayEquals(fromFloat64.result().dW().values(), fromMixed.result().dW().values(), "mixed: dW");
    }

    @Test
    void aNaNInAFloat32FileIsNamedByFileRowAndColumn() {
        float[] values = {1f, 2f, 3f, 4f, 5f, Float.NaN};
        Path file = tmp.resolve("nan32.npy");
        NpyFile.writeFloat32(file, 3, 2, values);
        NpyMatrix m = NpyMatrix.open(file.toString(), new Configuration());
        InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                () -> m.readFloats(0, 3));
        assertTrue(e.getMessage().contains("nan32.npy") && e.getMessage().contains("NaN in column 1"),
                e.getMessage());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, m.readFloats(0, 2));
    }
}
