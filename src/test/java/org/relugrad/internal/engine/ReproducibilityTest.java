package org.relugrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.DiscardedRows;
import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.out.OutputFolder;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * Loss, dW and every row of dX and dY are the same bits whatever the partition count: blocks are fixed row ranges
 * and their partials are summed exactly. One of the runs compared is checked against the naive float64 loop each
 * time, so that equal bits are also right ones.
 */
class ReproducibilityTest extends SharedSpark {
    @TempDir
    Path tmp;

    private record Bits(long loss, long[] dW, double[] dX, double[] dY) {
    }

    private Bits run(RowRangeInput input, int partitions, int blockRows) {
        Path dir = tmp.resolve("out-" + partitions + "-" + blockRows + "-" + System.nanoTime());
        OutputFolder folder = OutputFolder.create(dir.toString(), false, sc.hadoopConfiguration());
        GradientJob job = new GradientJob(sc);
        GradientResult r = job.run(job.prepare(input, partitions, blockRows), EnumSet.allOf(Output.class), folder);
        long[] dW = new long[r.dW().values().length];
        for (int i = 0; i < dW.length; i++) {
            dW[i] = Double.doubleToRawLongBits(r.dW().values()[i]);
        }
        return new Bits(Double.doubleToRawLongBits(r.loss()), dW,
                OutputFiles.perRow(dir, "dX", r.rows(), r.d()).values(),
                OutputFiles.perRow(dir, "dY", r.rows(), r.k()).values());
    }

    private static void assertSameBits(Bits expected, Bits actual, String what) {
        assertEquals(expected.loss(), actual.loss(), what + ": loss bits");
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.dW(), actual.dW(), what + ": dW bits");
        assertBitwise(expected.dX(), actual.dX(), what + ": dX");
        assertBitwise(expected.dY(), actual.dY(), what + ": dY");
    }

    private static void assertBitwise(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /**
     * The independent check the bit comparisons need (a kernel that returned zeros would give the same bits at
     * every partitioning): loss, dW, dX and dY against the naive float64 loop, to 1e-12 relative; and the loss
     * against the exact sum, in BigDecimal, of the squares of the residuals written (R = −dY / 2 exactly),
     * rounded once, to one ulp: the partials are summed exactly.
     */
    private static void assertNaive(NaiveGradient naive, Bits bits, String what) {
        double loss = Double.longBitsToDouble(bits.loss());
        assertTrue(Math.abs(loss - naive.loss) <= 1e-12 * naive.loss, what + ": loss " + loss + " vs " + naive.loss);
        double[] dW = new double[bits.dW().length];
        for (int i = 0; i < dW.length; i++) {
            dW[i] = Double.longBitsToDouble(bits.dW()[i]);
        }
        assertRelative(naive.dW, new Matrix(naive.dW.rows(), naive.dW.cols(), dW), what + ": dW");
        assertRelative(naive.dX, new Matrix(naive.dX.rows(), naive.dX.cols(), bits.dX()), what + ": dX");
        assertRelative(naive.dY, new Matrix(naive.dY.rows(), naive.dY.cols(), bits.dY()), what + ": dY");
        BigDecimal exact = BigDecimal.ZERO;
        for (double dy : bits.dY()) {
            BigDecimal r = new BigDecimal(dy / -2.0);
            exact = exact.add(r.multiply(r));
        }
        double rounded = exact.doubleValue();
        assertEquals(rounded, loss, Math.ulp(rounded),
                what + ": loss vs the exact sum of the written residuals' squares");
    }

    private static void assertRelative(Matrix expected, Matrix actual, String what) {
        double e = NaiveGradient.relativeError(actual, expected);
        assertTrue(e <= 1e-12, what + ": normwise relative error to the naive loop " + e);
    }

    /** The naive loop over --generate's matrices for (n, d, k, seed), made from the JDK's SplittableRandom. */
    private static NaiveGradient naiveGenerated(int n, int d, int k, long seed) {
        return new NaiveGradient(NaiveGradient.generated(seed, n, d), NaiveGradient.generated(seed + 1, d, k),
                NaiveGradient.generated(seed + 2, n, k));
    }

    @ParameterizedTest(name = "B={0}")
    @ValueSource(ints = {1, 64, 1000, 4096})
    void syntheticResultsAreBitwiseEqualForPartitionCounts1To9(int blockRows) {
        SyntheticInput input = new SyntheticInput(20_011, 7, 5, 42);
        Bits one = run(input, 1, blockRows);
        assertNaive(naiveGenerated(20_011, 7, 5, 42), one, "P=1");
        for (int p = 2; p <= 9; p++) {
            assertSameBits(one, run(input, p, blockRows), "P=" + p + " vs P=1");
        }
    }

    @Test
    void moreThanDriverMergePartitionsAreSummedByTreeAggregationToTheSameBits() {
        SyntheticInput input = new SyntheticInput(20_011, 7, 5, 42);
        int many = Aggregation.DRIVER_MERGE_PARTITIONS + 6;
        Bits tree = run(input, many, 64);
        assertNaive(naiveGenerated(20_011, 7, 5, 42), tree, "P=" + many);
        assertSameBits(run(input, 1, 64), tree, "P=" + many + " vs P=1");
    }

    @Test
    void csvResultsAreBitwiseEqualForPartitionCounts1To9() throws Exception {
        Random random = new Random(5);
        int n = 3001;
        Matrix x = NaiveGradient.random(random, n, 6);
        Matrix w = NaiveGradient.random(random, 6, 4);
        Matrix y = NaiveGradient.random(random, n, 4);
        Path in = Files.createDirectories(tmp.resolve("in"));
        CsvInput input = new CsvInput(OutputFiles.writeCsv(in.resolve("X.csv"), x).toString(),
                OutputFiles.writeCsv(in.resolve("Y.csv"), y).toString(),
                OutputFiles.writeCsv(in.resolve("W.csv"), w).toString());
        Bits one = run(input, 1, 128);
        assertNaive(new NaiveGradient(x, w, y), one, "P=1");
        for (int p = 2; p <= 9; p++) {
            assertSameBits(one, run(input, p, 128), "P=" + p + " vs P=1");
        }
    }

    @Test
    void csvBlocksCachedAndComputedThreeTimesGiveTheSameBitsAsOneReadingPass() throws Exception {
        Random random = new Random(9);
        int n = 2_001;
        Matrix x = NaiveGradient.random(random, n, 5);
        Matrix y = NaiveGradient.random(random, n, 3);
        Matrix w = NaiveGradient.random(random, 5, 3);
        Path in = Files.createDirectories(tmp.resolve("cached"));
        CsvInput input = new CsvInput(OutputFiles.writeCsv(in.resolve("X.csv"), x).toString(),
                OutputFiles.writeCsv(in.resolve("Y.csv"), y).toString(),
                OutputFiles.writeCsv(in.resolve("W.csv"), w).toString());
        Bits once = run(input, 4, 100);
        Path dir = tmp.resolve("cached-out");
        OutputFolder folder = OutputFolder.create(dir.toString(), false, sc.hadoopConfiguration());
        GradientJob job = new GradientJob(sc);
        PreparedInput cached = job.cache(job.prepare(input, 3, 100));
        GradientResult r = null;
        try {
            for (int i = 0; i < 3; i++) {
                r = job.run(cached, EnumSet.allOf(Output.class), i == 2 ? folder : new DiscardedRows());
            }
        } finally {
            job.release(cached);
        }
        long[] dW = new long[r.dW().values().length];
        for (int i = 0; i < dW.length; i++) {
            dW[i] = Double.doubleToRawLongBits(r.dW().values()[i]);
        }
        Bits cachedBits = new Bits(Double.doubleToRawLongBits(r.loss()), dW,
                OutputFiles.perRow(dir, "dX", n, 5).values(), OutputFiles.perRow(dir, "dY", n, 3).values());
        assertNaive(new NaiveGradient(x, w, y), cachedBits, "cached, 3 iterations");
        assertSameBits(once, cachedBits, "cached, 3 iterations vs read once");
    }

    @Test
    void csvAndSyntheticInputsOfTheSameRowsGiveTheSameBits() throws Exception {
        SyntheticInput generated = new SyntheticInput(2_500, 3, 2, 7);
        Matrix w = generated.open(sc.hadoopConfiguration());
        var block = generated.read(0, 2_500);
        Path in = Files.createDirectories(tmp.resolve("same"));
        CsvInput csv = new CsvInput(
                OutputFiles.writeCsv(in.resolve("X.csv"), new Matrix(2_500, 3, block.x())).toString(),
                OutputFiles.writeCsv(in.resolve("Y.csv"), new Matrix(2_500, 2, block.y())).toString(),
                OutputFiles.writeCsv(in.resolve("W.csv"), w).toString());
        Bits fromGenerator = run(generated, 3, 256);
        // W and the rows from the JDK's SplittableRandom, not from the generator under test.
        assertNaive(naiveGenerated(2_500, 3, 2, 7), fromGenerator, "generated");
        assertSameBits(fromGenerator, run(csv, 5, 256), "csv vs generated");
    }
}
