package org.relugrad.internal.io.synthetic;

import org.relugrad.internal.io.RowRangeInput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/** SyntheticInput against the JDK's own java.util.SplittableRandom streams. */
class SyntheticInputTest {
    /** SplittableRandom(long seed)'s gamma (the JDK's GOLDEN_GAMMA); checked against iteration below. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " but was " + actual);
    }

    /** The first {@code count} values 2u − 1 of the JDK stream with this seed. */
    private static double[] jdkStream(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = 2 * random.nextDouble() - 1;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -1, -123456789, 20240601, Long.MIN_VALUE, Long.MAX_VALUE})
    void entryIsTheIthValueOfTheJdkSplittableRandomStream(long seed) {
        double[] expected = jdkStream(seed, 50_000);
        for (int i = 0; i < expected.length; i++) {
            assertSameBits(expected[i], SyntheticInput.entry(seed, i), "seed " + seed + " entry " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, -7, Long.MIN_VALUE})
    void entryFarIntoTheStreamMatchesTheJdkStreamStartedAtThatPosition(long seed) {
        // A JDK SplittableRandom seeded s + i·γ yields as its first value the stream's value i; check that on
        // positions reachable by iteration, then use it where iterating would take too long.
        double[] head = jdkStream(seed, 1000);
        for (int i = 0; i < head.length; i++) {
            assertSameBits(head[i], 2 * new SplittableRandom(seed + i * GAMMA).nextDouble() - 1, "shortcut at " + i);
        }
        long[] far = {Integer.MAX_VALUE, 1L << 32, 3_000_000_017L, 1L << 40, Long.MAX_VALUE / 3};
        for (long i : far) {
            double[] run = jdkStream(seed + i * GAMMA, 5);
            for (int j = 0; j < run.length; j++) {
                assertSameBits(run[j], SyntheticInput.entry(seed, i + j), "seed " + seed + " entry " + (i + j));
            }
        }
    }

    @Test
    void blockInTheMiddleReadsXAndYAtTheirRowMajorStreamPositions() {
        long seed = -20_250_101L;
        int n = 1000;
        int d = 7;
        int k = 3;
        SyntheticInput input = new SyntheticInput(n, d, k, seed);
        assertEquals(n, input.rows());

        double[] xStream = jdkStream(seed, n * d);
        double[] yStream = jdkStream(seed + 2, n * k);
        int first = 437;
        int count = 129;
        RowBlock block = input.read(first, count);
        assertEquals(first, block.firstRow());
        assertEquals(count, block.rows());
        assertEquals(d, block.d());
        assertEquals(k, block.k());
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < d; c++) {
                assertSameBits(xStream[(first + r) * d + c], block.x()[r * d + c], "X[" + (first + r) + "][" + c + "]");
            }
            for (int c = 0; c < k; c++) {
                assertSameBits(yStream[(first + r) * k + c], block.y()[r * k + c], "Y[" + (first + r) + "][" + c + "]");
            }
        }

        // The last rows too, and a single row.
        RowBlock last = input.read(n - 3, 3);
        for (int i = 0; i < 3 * d; i++) {
            assertSameBits(xStream[(n - 3) * d + i], last.x()[i], "X tail " + i);
        }
        RowBlock one = input.read(0, 1);
        for (int i = 0; i < k; i++) {
            assertSameBits(yStream[i], one.y()[i], "Y row 0, col " + i);
        }
    }

    @Test
    void openGivesWFromTheStreamOfSeedPlusOne() {
        long seed = 99;
        int d = 13;
        int k = 5;
        Matrix w = new SyntheticInput(10, d, k, seed).open(null);
        assertEquals(d, w.rows());
        assertEquals(k, w.cols());
        double[] expected = jdkStream(seed + 1, d * k);
        for (int i = 0; i < d * k; i++) {
            assertSameBits(expected[i], w.values()[i], "W entry " + i);
        }
    }

    @Test
    void blockFarIntoALargeInputUsesLongRowMajorPositions() {
        long seed = 3;
        int d = 7;
        int k = 2;
        long n = 4_000_000_000L;
        long first = 3_500_000_001L; // first · d is far beyond Integer.MAX_VALUE
        RowBlock block = new SyntheticInput(n, d, k, seed).read(first, 4);
        double[] x = jdkStream(seed + first * d * GAMMA, 4 * d);
        double[] y = jdkStream(seed + 2 + first * k * GAMMA, 4 * k);
        for (int i = 0; i < 4 * d; i++) {
            assertSameBits(x[i], block.x()[i], "X entry " + i);
        }
        for (int i = 0; i < 4 * k; i++) {
            assertSameBits(y[i], block.y()[i], "Y entry " + i);
        }
    }

    @Test
    void fillGivesTheJdkStreamOnceTheJitHasCompiledIt() {
        double[] values = new double[1 << 16];
        java.util.Random positions = new java.util.Random(8);
        for (int round = 0; round < 40; round++) {
            long seed = positions.nextLong();
            long first = round < 20 ? (long) round << 16 : positions.nextLong() >>> 2;
            SyntheticInput.fill(seed, first, values, values.length);
            double[] expected = jdkStream(seed + first * GAMMA, values.length);
            for (int i = 0; i < values.length; i++) {
                assertSameBits(expected[i], values[i], "seed " + seed + " entry " + (first + i));
            }
        }
    }

    @Test
    void fillOfAnyLengthGivesTheJdkStreamOnTheVectorAndThePlainCode() {
        // Lengths that leave every possible tail after whole vectors, at positions that wrap around 2⁶⁴.
        java.util.Random positions = new java.util.Random(11);
        for (int count = 0; count <= 40; count++) {
            long seed = positions.nextLong();
            long first = positions.nextLong() >>> 1;
            double[] expected = jdkStream(seed + first * GAMMA, count);
            double[] filled = new double[count + 1];
            filled[count] = 5.0;
            SyntheticInput.fill(seed, first, filled, count);
            double[] plain = new double[count];
            SyntheticInput.fillPlain(seed + (first + 1) * GAMMA, plain, 0, count);
            for (int i = 0; i < count; i++) {
                assertSameBits(expected[i], filled[i], "fill, count " + count + ", entry " + i);
                assertSameBits(expected[i], plain[i], "plain fill, count " + count + ", entry " + i);
            }
            assertSameBits(5.0, filled[count], "the value after count " + count + " is left alone");
        }
    }

    @Test
    void readingIntoThePreviousBlocksArraysGivesTheSameRowsAsAFreshRead() {
        SyntheticInput input = new SyntheticInput(1000, 5, 3, 21);
        RowBlock previous = input.readReusing(0, 400, null);
        for (long first : new long[] {400, 800}) {
            int count = (int) Math.min(400, 1000 - first);
            RowBlock fresh = input.read(first, count);
            RowBlock reused = input.readReusing(first, count, previous);
            assertTrue(reused.x() == previous.x() && reused.y() == previous.y(), "the arrays are reused");
            assertEquals(first, reused.firstRow());
            assertEquals(count, reused.rows());
            for (int i = 0; i < count * 5; i++) {
                assertSameBits(fresh.x()[i], reused.x()[i], "X entry " + i + " of block at " + first);
            }
            for (int i = 0; i < count * 3; i++) {
                assertSameBits(fresh.y()[i], reused.y()[i], "Y entry " + i + " of block at " + first);
            }
            previous = reused;
        }
        RowBlock small = input.read(0, 10);
        RowBlock grown = input.readReusing(10, 20, small);
        assertTrue(grown.x() != small.x(), "arrays too short are not reused");
        assertSameBits(input.read(10, 20).x()[99], grown.x()[99], "X entry 99 of a grown block");
    }

    @Test
    void aReaderGivenThePreviousBlockGivesTheRowsOfAReadAlsoAfterSerialization() throws Exception {
        SyntheticInput input = new SyntheticInput(1000, 5, 3, 21);
        RowRangeInput.RangeReader reader = input.reader(100, 1000);
        RowBlock previous = null;
        for (long first = 100; first < 1000; first += 300) {
            RowBlock block = reader.next(300, previous);
            RowBlock fresh = input.read(first, 300);
            assertEquals(first, block.firstRow());
            assertEquals(300, block.rows());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(block);
            }
            RowBlock copy;
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (RowBlock) in.readObject();
            }
            for (RowBlock b : new RowBlock[] {copy, block}) {
                for (int i = 0; i < 300 * 5; i++) {
                    assertSameBits(fresh.x()[i], b.x()[i], "X entry " + i + " of block at " + first);
                }
                for (int i = 0; i < 300 * 3; i++) {
                    assertSameBits(fresh.y()[i], b.y()[i], "Y entry " + i + " of block at " + first);
                }
            }
            previous = block;
        }
    }

    @Test
    void valuesLieInMinusOneToOne() {
        for (long i = 0; i < 100_000; i++) {
            double v = SyntheticInput.entry(12345, i);
            if (!(v >= -1.0 && v < 1.0)) {
                throw new AssertionError("entry " + i + " = " + v + " is outside [-1, 1)");
            }
        }
    }

    @Test
    void nonPositiveShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInput(0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInput(1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInput(1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInput(-5, 1, 1, 0));
    }
}
