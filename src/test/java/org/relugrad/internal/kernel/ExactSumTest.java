package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ExactSum against java.math.BigDecimal: the exact sum of the doubles, rounded once with
 * {@link BigDecimal#doubleValue()} (round half to even).
 */
class ExactSumTest {

    /** The reference: exact in BigDecimal, rounded once to the nearest double, ties to even. */
    private static double exact(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.doubleValue();
    }

    private static double sumOf(List<Double> values) {
        ExactSum s = new ExactSum(1);
        for (double v : values) {
            s.add(0, v);
        }
        return s.rounded(0);
    }

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " (" + Double.toHexString(expected) + ") but was " + actual
                        + " (" + Double.toHexString(actual) + ")");
    }

    /** A random double ±m·2^e with m in [1, 2) and e in [minExp, maxExp]. */
    private static double wild(Random random, int minExp, int maxExp) {
        double m = 1.0 + random.nextDouble();
        int e = minExp + random.nextInt(maxExp - minExp + 1);
        double v = Math.scalb(m, e);
        return random.nextBoolean() ? v : -v;
    }

    @Test
    void referenceRoundsHalfToEven() {
        // The reference itself: 1 + 2^-53 is halfway between 1 and 1 + 2^-52 and must go to the even 1.
        assertSameBits(1.0, exact(List.of(1.0, 0x1p-53)), "1 + 2^-53");
        assertSameBits(1.0 + 0x1p-51, exact(List.of(1.0 + 0x1p-52, 0x1p-53)), "(1 + 2^-52) + 2^-53");
        assertSameBits(1.0 + 0x1p-52, exact(List.of(1.0, 0x1p-53, 0x1p-200)), "just above the tie");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, -7, 20240601})
    void randomDoublesOfWildlyDifferentMagnitudesSumToTheCorrectlyRoundedExactSum(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + random.nextInt(300);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(wild(random, -60, 60));
            }
            assertSameBits(exact(values), sumOf(values), "trial " + trial + " of " + count + " values");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 9, -10})
    void doublesFromSubnormalToHugeSumToTheCorrectlyRoundedExactSum(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 100; trial++) {
            int count = 1 + random.nextInt(100);
            int low = -1074 + random.nextInt(1000);
            int high = low + random.nextInt(1000 - low + 1);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(random.nextInt(10) == 0
                        ? Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL) // subnormal
                        : wild(random, low, high));
            }
            assertSameBits(exact(values), sumOf(values), "trial " + trial + ", exponents " + low + ".." + high);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, -99})
    void massiveCancellationLeavesTheExactlyRoundedSmallRemainder(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            List<Double> values = new ArrayList<>();
            int big = 1 + random.nextInt(50);
            for (int i = 0; i < big; i++) {
                double v = wild(random, 20, 60);
                values.add(v);
                values.add(-v);
            }
            int small = random.nextInt(20);
            for (int i = 0; i < small; i++) {
                values.add(wild(random, -60, -10));
            }
            Collections.shuffle(values, random);
            double expected = exact(values);
            assertSameBits(expected, sumOf(values), "trial " + trial);
            if (small == 0) {
                assertSameBits(0.0, sumOf(values), "everything cancels");
            }
        }
    }

    @Test
    void exactResultHalfwayBetweenTwoDoublesRoundsToEvenAndATinyRemainderBreaksTheTie() {
        double tie = 0x1p-53; // half an ulp of 1.0
        double tiny = 0x1p-200;
        // Ties: to even.
        assertSameBits(1.0, sumOf(List.of(1.0, tie)), "1 + 2^-53");
        assertSameBits(1.0 + 0x1p-51, sumOf(List.of(1.0 + 0x1p-52, tie)), "(1 + 2^-52) + 2^-53");
        // Just above / below a tie whose plain rounding would go the other way.
        assertSameBits(1.0 + 0x1p-52, sumOf(List.of(1.0, tie, tiny)), "1 + 2^-53 + tiny");
        assertSameBits(1.0, sumOf(List.of(1.0, tie, -tiny)), "1 + 2^-53 - tiny");
        assertSameBits(1.0 + 0x1p-52, sumOf(List.of(1.0 + 0x1p-52, tie, -tiny)), "(1 + 2^-52) + 2^-53 - tiny");
        assertSameBits(1.0 + 0x1p-51, sumOf(List.of(1.0 + 0x1p-52, tie, tiny)), "(1 + 2^-52) + 2^-53 + tiny");
        // Negative side.
        assertSameBits(-1.0 - 0x1p-52, sumOf(List.of(-1.0, -tie, -tiny)), "-(1 + 2^-53 + tiny)");
        assertSameBits(-1.0, sumOf(List.of(-1.0, -tie, tiny)), "-(1 + 2^-53 - tiny)");
        // Several tiny parts in any order, that only together decide the direction.
        assertSameBits(1.0 + 0x1p-52, sumOf(List.of(tiny, 1.0, -tiny, tie, 0x1p-300, -0x1p-400)), "mixed tiny");
        assertSameBits(1.0, sumOf(List.of(-0x1p-300, tie, 0x1p-400, 1.0)), "mixed tiny, negative");
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, -13})
    void randomTiesRoundHalfToEvenUnlessATinyRemainderSaysOtherwise(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            double a = wild(random, -40, 40);
            double halfUlp = Math.ulp(a) / 2;
            // a + halfUlp is exactly halfway between a and its neighbour away from zero.
            double half = Math.copySign(halfUlp, a);
            List<Double> values = new ArrayList<>(List.of(a, half));
            int tinies = random.nextInt(4);
            for (int i = 0; i < tinies; i++) {
                values.add(Math.scalb(random.nextBoolean() ? 1.0 : -1.0, Math.getExponent(halfUlp) - 60 - random.nextInt(100)));
            }
            // Split a into two pieces too, so the tie is not simply the first two parts.
            if (random.nextBoolean()) {
                // Same sign as a and far smaller, on a's grid: a - piece is exact.
                double piece = Math.copySign(
                        Math.scalb(Math.floor(random.nextDouble() * 1024), Math.getExponent(a) - 20), a);
                values.set(0, a - piece);
                values.add(piece);
                assertEquals(new BigDecimal(a), new BigDecimal(a - piece).add(new BigDecimal(piece)));
            }
            Collections.shuffle(values, random);
            assertSameBits(exact(values), sumOf(values), "trial " + trial + ": " + values);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, -23})
    void shufflingAndMergingInAnyGroupingGivesTheSameBits(long seed) {
        Random random = new Random(seed);
        int size = 5;
        for (int trial = 0; trial < 40; trial++) {
            int count = 50 + random.nextInt(400);
            double[][] rows = new double[count][size];
            for (double[] row : rows) {
                for (int j = 0; j < size; j++) {
                    row[j] = wild(random, -60, 60);
                }
            }
            double[] expected = new double[size];
            for (int j = 0; j < size; j++) {
                List<Double> column = new ArrayList<>();
                for (double[] row : rows) {
                    column.add(row[j]);
                }
                expected[j] = exact(column);
            }

            // One sum, rows in shuffled order.
            List<double[]> order = new ArrayList<>(List.of(rows));
            Collections.shuffle(order, random);
            ExactSum whole = new ExactSum(size);
            for (double[] row : order) {
                whole.addAll(row);
            }

            // Several sums over random groups, merged left to right, right to left and as a tree.
            int groups = 2 + random.nextInt(7);
            List<ExactSum> parts = new ArrayList<>();
            List<ExactSum> partsAgain = new ArrayList<>();
            List<ExactSum> partsThird = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                parts.add(new ExactSum(size));
                partsAgain.add(new ExactSum(size));
                partsThird.add(new ExactSum(size));
            }
            Collections.shuffle(order, random);
            for (double[] row : order) {
                int g = random.nextInt(groups);
                parts.get(g).addAll(row);
                partsAgain.get(g).addAll(row);
                partsThird.get(g).addAll(row);
            }
            ExactSum left = new ExactSum(size);
            for (ExactSum p : parts) {
                left.merge(p);
            }
            ExactSum right = partsAgain.get(groups - 1);
            for (int g = groups - 2; g >= 0; g--) {
                right.merge(partsAgain.get(g));
            }
            while (partsThird.size() > 1) {
                Collections.shuffle(partsThird, random);
                ExactSum a = partsThird.remove(partsThird.size() - 1);
                partsThird.get(0).merge(a);
            }
            ExactSum tree = partsThird.get(0);

            for (int j = 0; j < size; j++) {
                String what = "trial " + trial + " entry " + j;
                assertSameBits(expected[j], whole.rounded(j), what + " (shuffled)");
                assertSameBits(expected[j], left.rounded(j), what + " (merged left to right)");
                assertSameBits(expected[j], right.rounded(j), what + " (merged right to left)");
                assertSameBits(expected[j], tree.rounded(j), what + " (merged as a tree)");
            }
            double[] all = whole.rounded();
            for (int j = 0; j < size; j++) {
                assertSameBits(expected[j], all[j], "rounded() entry " + j);
            }
        }
    }

    @Test
    void entriesAreSummedIndependently() {
        ExactSum s = new ExactSum(3);
        s.add(0, 1.0);
        s.add(2, 0x1p-60);
        s.add(2, 1.0);
        s.add(2, -1.0);
        assertSameBits(1.0, s.rounded(0), "entry 0");
        assertSameBits(0.0, s.rounded(1), "entry 1, never added to");
        assertSameBits(0x1p-60, s.rounded(2), "entry 2");
    }

    @Test
    void mergingSumsOfDifferentSizesThrows() {
        ExactSum a = new ExactSum(3);
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ExactSum(2)));
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ExactSum(4)));
        assertThrows(IllegalArgumentException.class, () -> a.addAll(new double[2]));
    }

    @Test
    void negativeSizeThrows() {
        assertThrows(IllegalArgumentException.class, () -> new ExactSum(-1));
    }

    @Test
    void zeroSizeVectorHasNoEntriesAndMergesWithAnotherEmptyOne() {
        ExactSum s = new ExactSum(0);
        assertEquals(0, s.size());
        s.addAll(new double[0]);
        s.merge(new ExactSum(0));
        assertEquals(0, s.rounded().length);
    }

    /** What plain left-to-right summation gives. */
    private static double plain(double... values) {
        double s = 0.0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    @Test
    void nonFiniteInputsGiveWhatPlainSummationGives() {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        double[][] cases = {
            {1.0, inf, 2.0},
            {-5.0, Double.NEGATIVE_INFINITY, 1e300},
            {inf, inf},
            {inf, -inf},
            {1.0, nan, 3.0},
            {nan, inf},
            {inf, 1e308, -inf, 3.0},
            {Double.MAX_VALUE, inf, -Double.MAX_VALUE},
        };
        for (double[] values : cases) {
            double expected = plain(values);
            String what = java.util.Arrays.toString(values);
            ExactSum s = new ExactSum(1);
            for (double v : values) {
                s.add(0, v);
            }
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(s.rounded(0)), what + " should be NaN, was " + s.rounded(0));
            } else {
                assertSameBits(expected, s.rounded(0), what);
            }
            // The same values spread over two sums and merged.
            ExactSum a = new ExactSum(1);
            ExactSum b = new ExactSum(1);
            for (int i = 0; i < values.length; i++) {
                (i % 2 == 0 ? a : b).add(0, values[i]);
            }
            b.merge(a);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(b.rounded(0)), what + " merged should be NaN, was " + b.rounded(0));
            } else {
                assertSameBits(expected, b.rounded(0), what + " merged");
            }
        }
    }

    @Test
    void finiteSumAboveTheLargestDoubleOverflowsToInfinity() {
        // Exact total 2·MAX is beyond the largest double: rounds to +Inf, as plain summation.
        assertSameBits(Double.POSITIVE_INFINITY, sumOf(List.of(Double.MAX_VALUE, Double.MAX_VALUE)), "MAX + MAX");
        assertSameBits(Double.NEGATIVE_INFINITY, sumOf(List.of(-Double.MAX_VALUE, -Double.MAX_VALUE)), "-MAX - MAX");
    }

    @Test
    void subnormalsAreSummedExactly() {
        List<Double> values = List.of(Double.MIN_VALUE, 3 * Double.MIN_VALUE, -Double.MIN_VALUE, 0x1p-1060, 1e-310);
        assertSameBits(exact(values), sumOf(values), "subnormals");
        assertSameBits(0.0, sumOf(List.of(Double.MIN_VALUE, -Double.MIN_VALUE)), "cancelling subnormals");
    }

    /** Through Java serialization (as Spark ships task results) and back. */
    private static ExactSum roundTrip(ExactSum sum) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(sum);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (ExactSum) in.readObject();
        }
    }

    @Test
    void aSerializedSumKeepsEveryPartAndGoesOnSummingExactly() throws Exception {
        Random random = new Random(17);
        int size = 5;
        List<List<Double>> before = new ArrayList<>();
        List<List<Double>> after = new ArrayList<>();
        ExactSum sum = new ExactSum(size);
        for (int i = 0; i < size; i++) {
            before.add(new ArrayList<>());
            after.add(new ArrayList<>());
            // Entry 0 stays empty; the others get values of wildly different magnitudes, so they hold many parts.
            for (int j = 0; i > 0 && j < 40 * i; j++) {
                double v = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(200) - 100);
                before.get(i).add(v);
                sum.add(i, v);
            }
        }
        ExactSum copy = roundTrip(sum);
        for (int i = 1; i < size; i++) {
            for (int j = 0; j < 30; j++) {
                double v = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(200) - 100);
                after.get(i).add(v);
                copy.add(i, v);
            }
        }
        ExactSum merged = roundTrip(copy);
        for (int i = 0; i < size; i++) {
            List<Double> all = new ArrayList<>(before.get(i));
            all.addAll(after.get(i));
            assertSameBits(exact(before.get(i)), sum.rounded(i), "entry " + i + " before");
            assertSameBits(exact(all), merged.rounded(i), "entry " + i + " after the round trips");
        }
    }
}
