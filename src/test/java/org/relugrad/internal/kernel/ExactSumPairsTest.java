package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ExactSum's layout (a pair of doubles per entry, an overflow store for the sums that need more) against
 * java.math.BigDecimal, on inputs chosen to break it: cancellation, exponents from subnormal to 1e300 in one entry,
 * ties, sums that need many doubles, non-finite values; summed in random orders and cut into random merges and
 * slices, and through Java serialization. The bits must be the exact sum's, rounded once, every time. The sums
 * here are small, so that the reference stays fast; they take the Vector API path all the same, which only sums of
 * {@code 1 << 16} entries and more take outside the tests (ExactSumTest runs the plain path).
 */
class ExactSumPairsTest {
    private static int vectorMinEntries;

    @BeforeAll
    static void vectorPathForEverySize() {
        vectorMinEntries = ExactSum.vectorMinEntries;
        ExactSum.vectorMinEntries = 0;
    }

    @AfterAll
    static void vectorPathAsItWas() {
        ExactSum.vectorMinEntries = vectorMinEntries;
    }

    // ---- the reference ----

    /** Per entry: the exact sum of the finite values, and the plain sum of the non-finite ones (0 if none). */
    private static final class Reference {
        final BigDecimal[] exact;
        final double[] nonFinite;

        Reference(int size) {
            exact = new BigDecimal[size];
            Arrays.fill(exact, BigDecimal.ZERO);
            nonFinite = new double[size];
        }

        void add(int i, double x) {
            if (Double.isFinite(x)) {
                exact[i] = exact[i].add(new BigDecimal(x));
            } else {
                nonFinite[i] += x;
            }
        }

        void addAll(double[] row) {
            for (int i = 0; i < row.length; i++) {
                add(i, row[i]);
            }
        }

        double expected(int i) {
            if (nonFinite[i] != 0.0) {
                return Double.isNaN(nonFinite[i]) ? Double.NaN : nonFinite[i];
            }
            return exact[i].doubleValue(); // exact, rounded once, half to even
        }
    }

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " (" + Double.toHexString(expected) + ") but was " + actual
                        + " (" + Double.toHexString(actual) + ")");
    }

    private static void assertMatches(Reference reference, ExactSum sum, String what) {
        assertEquals(reference.exact.length, sum.size(), what + ": size");
        double[] all = sum.rounded();
        for (int i = 0; i < sum.size(); i++) {
            double expected = reference.expected(i);
            assertSameBits(expected, sum.rounded(i), what + ", entry " + i);
            assertSameBits(expected, all[i], what + ", rounded() entry " + i);
        }
    }

    private static ExactSum roundTrip(ExactSum sum) throws IOException, ClassNotFoundException {
        return (ExactSum) read(bytes(sum));
    }

    private static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /** A random double ±m·2^e with m in [1, 2) and e in [minExp, maxExp]. */
    private static double wild(Random random, int minExp, int maxExp) {
        double v = Math.scalb(1.0 + random.nextDouble(), minExp + random.nextInt(maxExp - minExp + 1));
        return random.nextBoolean() ? v : -v;
    }

    /** A value of one of several kinds that stress the layout, for entry i of a row. */
    private static double adversarial(Random random, int kind) {
        switch (kind) {
            case 0: // like a gradient's entries
                return random.nextGaussian();
            case 1: // any exponent a sum of a few hundred cannot overflow with
                return wild(random, -1074 + 52, 990);
            case 2: // subnormals: multiples of the smallest double
                return (random.nextInt(2001) - 1000) * Double.MIN_VALUE;
            case 3: // big ones that cancel, with small remainders
                return random.nextInt(4) == 0 ? wild(random, -80, -40) : Math.scalb((double) (random.nextInt(3) - 1), 900);
            case 4: // half an ulp of 1 and friends: ties
                return Math.scalb((double) (random.nextInt(5) - 2), -53 + random.nextInt(3)) + (random.nextInt(8) == 0 ? 1.0 : 0.0);
            default: // 1e-300 to 1e300 in one entry
                return (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextInt(601) - 300) * (1 + random.nextInt(9));
        }
    }

    private static double[][] adversarialRows(Random random, int count, int size) {
        double[][] rows = new double[count][size];
        for (double[] row : rows) {
            for (int i = 0; i < size; i++) {
                row[i] = random.nextInt(7) == 0 ? 0.0 : adversarial(random, i % 6);
            }
        }
        return rows;
    }

    // ---- the cases ----

    @Test
    void catastrophicCancellationLeavesTheExactRemainder() {
        double[][] cases = {
            {1e300, 1.0, -1e300},
            {1e300, 1.0, -1e300, 1e-300},
            {1.0, 1e300, 1e-300, -1e300, -1.0},
            {0x1p1000, 0x1p-1000, -0x1p1000},
            {Double.MAX_VALUE, Double.MIN_VALUE, -Double.MAX_VALUE},
            {1e16, 1.0, -1e16, 1.0, 1e-16, -2.0},
            {0.1, 0.2, -0.3},
            {3.0, 0x1p-52, -3.0, -0x1p-52},
        };
        for (double[] values : cases) {
            Reference reference = new Reference(1);
            for (double v : values) {
                reference.add(0, v);
            }
            List<Double> order = new ArrayList<>();
            for (double v : values) {
                order.add(v);
            }
            Random random = new Random(Arrays.hashCode(values));
            for (int trial = 0; trial < 20; trial++) {
                ExactSum sum = new ExactSum(1);
                for (double v : order) {
                    sum.add(0, v);
                }
                assertMatches(reference, sum, Arrays.toString(values) + " in order " + order);
                Collections.shuffle(order, random);
            }
        }
        ExactSum everythingCancels = new ExactSum(1);
        for (double v : new double[] {1e300, 1.0, 1e-300, -1.0, -1e300, -1e-300}) {
            everythingCancels.add(0, v);
        }
        assertSameBits(0.0, everythingCancels.rounded(0), "everything cancels");
        assertEquals(0, everythingCancels.overflowing(), "a sum of zero needs no overflow");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, -3})
    void exponentsFrom1eMinus300To1e300InOneEntryNeedTheOverflowAndLeaveIt(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 20; trial++) {
            Reference reference = new Reference(1);
            ExactSum sum = new ExactSum(1);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < 40 + random.nextInt(60); i++) {
                values.add(adversarial(random, 5));
            }
            for (double v : values) {
                reference.add(0, v);
                sum.add(0, v);
            }
            assertMatches(reference, sum, "trial " + trial);
            assertEquals(1, sum.overflowing(), "60 decades of bits need more than two doubles");
            // Taking every value away again, in another order, leaves zero and the entry back in the pair.
            Collections.shuffle(values, random);
            for (double v : values) {
                sum.add(0, -v);
            }
            assertSameBits(0.0, sum.rounded(0), "trial " + trial + " taken away");
            assertEquals(0, sum.overflowing(), "trial " + trial + ": back in the pair");
        }
    }

    @Test
    void subnormalsAndTheirCrossingIntoNormalsAreExact() {
        Reference reference = new Reference(3);
        ExactSum sum = new ExactSum(3);
        double minNormal = Double.MIN_NORMAL;
        double[][] rows = {
            {Double.MIN_VALUE, minNormal - Double.MIN_VALUE, 1.0},
            {3 * Double.MIN_VALUE, Double.MIN_VALUE, 0x1p-1070},
            {-Double.MIN_VALUE, 7 * Double.MIN_VALUE, -1.0},
            {0x1p-1060, -minNormal, 1e-310},
            {1e-310, 2 * Double.MIN_VALUE, Double.MIN_VALUE},
        };
        for (double[] row : rows) {
            reference.addAll(row);
            sum.addAll(row);
            assertMatches(reference, sum, "after " + Arrays.toString(row));
        }
        // 1.0 and the smallest subnormal need two doubles that are 1074 places apart: still a pair.
        ExactSum far = new ExactSum(1);
        far.add(0, 1.0);
        far.add(0, Double.MIN_VALUE);
        assertSameBits(1.0, far.rounded(0), "1 + MIN_VALUE");
        assertEquals(0, far.overflowing(), "1 + MIN_VALUE is a pair");
        far.add(0, 0x1p-600);
        assertEquals(1, far.overflowing(), "1 + 2^-600 + MIN_VALUE is not");
        far.add(0, -1.0);
        far.add(0, -0x1p-600);
        assertSameBits(Double.MIN_VALUE, far.rounded(0), "what is left");
        assertEquals(0, far.overflowing(), "back in the pair");
    }

    @Test
    void sumsNeedingManyDoublesLiveInTheOverflowAndSurviveEverything() throws Exception {
        int size = 8;
        Reference reference = new Reference(size);
        ExactSum sum = new ExactSum(size);
        // Entry i gets 1, 2^-60, 2^-120, ...: i + 2 doubles' worth of bits that cannot be shared.
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < i + 3; j++) {
                double v = Math.scalb(1.0 + j * 0x1p-30, -60 * j);
                reference.add(i, v);
                sum.add(i, v);
            }
        }
        assertMatches(reference, sum, "built");
        assertEquals(size, sum.overflowing(), "every entry overflows");

        ExactSum copy = roundTrip(sum);
        assertMatches(reference, copy, "after a round trip");
        assertEquals(size, copy.overflowing());

        // Merged into itself (through a copy), into a fresh sum, sliced and merged back at an offset.
        ExactSum doubled = roundTrip(sum);
        doubled.merge(copy);
        Reference twice = new Reference(size);
        for (int i = 0; i < size; i++) {
            twice.exact[i] = reference.exact[i].add(reference.exact[i]);
        }
        assertMatches(twice, doubled, "merged with its copy");
        ExactSum self = roundTrip(sum);
        self.merge(self);
        assertMatches(twice, self, "merged with itself");

        ExactSum wide = new ExactSum(size + 5);
        wide.mergeInto(5, sum.slice(0, size));
        wide.mergeInto(2, sum.slice(0, 3));
        Reference shifted = new Reference(size + 5);
        for (int i = 0; i < size; i++) {
            shifted.exact[i + 5] = shifted.exact[i + 5].add(reference.exact[i]);
        }
        for (int i = 0; i < 3; i++) {
            shifted.exact[i + 2] = shifted.exact[i + 2].add(reference.exact[i]);
        }
        assertMatches(shifted, wide, "slices merged at offsets");

        // An infinity takes an overflowing entry out of the store; what is added after counts only if non-finite.
        sum.add(3, Double.POSITIVE_INFINITY);
        sum.add(3, 1.0);
        assertSameBits(Double.POSITIVE_INFINITY, sum.rounded(3), "infinity wins");
        assertEquals(size - 1, sum.overflowing());
        sum.add(4, Double.NaN);
        assertTrue(Double.isNaN(sum.rounded(4)));
        assertEquals(size - 2, sum.overflowing());
        // A freed slot is used again, and the entries keep their own.
        ExactSum more = new ExactSum(size);
        for (int j = 0; j < 4; j++) {
            more.add(0, Math.scalb(1.0, -70 * j));
        }
        sum.merge(more);
        sum.add(3, Double.NEGATIVE_INFINITY);
        assertTrue(Double.isNaN(sum.rounded(3)), "inf - inf");
        ExactSum after = roundTrip(sum);
        assertTrue(Double.isNaN(after.rounded(3)));
        assertTrue(Double.isNaN(after.rounded(4)));
        for (int j = 0; j < 4; j++) {
            reference.add(0, Math.scalb(1.0, -70 * j));
        }
        for (int i : new int[] {0, 1, 2, 5, 6, 7}) {
            assertSameBits(reference.expected(i), after.rounded(i), "entry " + i + " after it all");
        }
    }

    @Test
    void tiesRoundHalfToEvenInThePairAndInTheOverflow() {
        double tie = 0x1p-53;
        // Pairs: the sum is hi + lo exactly, with hi the sum rounded, so a tie is decided by hi being even.
        double[][] cases = {
            {1.0, tie},                                  // to 1
            {1.0 + 0x1p-52, tie},                        // to 1 + 2^-51
            {1.0, tie, 0x1p-200},                        // just above: up; three doubles
            {1.0, tie, -0x1p-200},                       // just below: down
            {1.0 + 0x1p-52, tie, -0x1p-1074},            // just below, the rest subnormal
            {-1.0, -tie},
            {-1.0 - 0x1p-52, -tie, 0x1p-1074},
            {0x1p1023 * 1.5, 0x1p970, 0x1p-1074},        // a tie near the top, broken at the very bottom
            {0x1p-1022, 0x1p-1074},                      // subnormal neighbours
            // Below a power of two the gap is half: 1 - 2^-54 is a tie between 1 - 2^-53 and 1.
            {1.0, -0x1p-54},                             // to 1 (even)
            {1.0, -0x1p-54, -0x1p-200},                  // just below: down to 1 - 2^-53
            {1.0, -0x1p-54, 0x1p-200},                   // just above: 1
            {1.0, -0x1p-55, -0x1p-200},                  // no tie: 1
            {1.0, 0x1p-54, -0x1p-200},                   // a quarter ulp above 1, less a bit: 1
            {-0x1p-1020, 0x1p-1074, 0x1p-1073},          // near the subnormals, negative
            {0x1p-100, -0x1p-154, -0x1p-300},            // 2^-100 - half its lower gap - tiny
            {0x1p-100, -0x1p-154, 0x1p-300},
        };
        for (double[] values : cases) {
            Reference reference = new Reference(1);
            for (double v : values) {
                reference.add(0, v);
            }
            // In every order, and as a merge of every split in two.
            List<Double> order = new ArrayList<>();
            for (double v : values) {
                order.add(v);
            }
            Random random = new Random(7);
            for (int trial = 0; trial < 12; trial++) {
                Collections.shuffle(order, random);
                ExactSum a = new ExactSum(1);
                ExactSum b = new ExactSum(1);
                int cut = random.nextInt(order.size() + 1);
                for (int j = 0; j < order.size(); j++) {
                    (j < cut ? a : b).add(0, order.get(j));
                }
                a.merge(b);
                assertMatches(reference, a, Arrays.toString(values) + " as " + order + " cut at " + cut);
            }
        }
    }

    /** Whether a finite exact sum is the sum of two doubles: its rounding and a rest that is a double. */
    private static boolean fitsInTwo(BigDecimal exact) {
        double r = exact.doubleValue();
        if (!Double.isFinite(r)) {
            return false;
        }
        BigDecimal rest = exact.subtract(new BigDecimal(r));
        return new BigDecimal(rest.doubleValue()).compareTo(rest) == 0;
    }

    @ParameterizedTest
    @ValueSource(longs = {51, 52, -53})
    void aSumOverflowsExactlyWhenItIsNotTheSumOfTwoDoubles(long seed) {
        // Three values into an empty entry: the pair if the sum fits, else the overflow store, never needlessly.
        Random random = new Random(seed);
        int overflowed = 0;
        for (int trial = 0; trial < 20000; trial++) {
            double a = wild(random, -30, 30);
            double b;
            double c;
            if (random.nextBoolean()) {
                // Spans around 106 bits, where the question is close.
                b = wild(random, Math.getExponent(a) - 40 - random.nextInt(40), Math.getExponent(a) - 30);
                c = wild(random, Math.getExponent(a) - 140, Math.getExponent(a) - 50);
                if (random.nextBoolean()) {
                    c = Math.scalb(Math.rint(Math.scalb(c, 60 - Math.getExponent(c))), Math.getExponent(c) - 60);
                }
            } else {
                // Ties: half the gap to a's neighbour on either side (half that below a power of two), and a tiny.
                double gap = random.nextBoolean() ? Math.ulp(a) : Math.ulp(a) / 2;
                b = (random.nextBoolean() ? 0.5 : -0.5) * gap;
                c = wild(random, Math.getExponent(gap) - 120, Math.getExponent(gap) - 2);
                if (random.nextInt(4) == 0) {
                    a = Math.copySign(Math.scalb(1.0, Math.getExponent(a)), a); // a power of two
                }
            }
            ExactSum sum = new ExactSum(1);
            List<Double> values = new ArrayList<>(List.of(a, b, c));
            Collections.shuffle(values, random);
            BigDecimal exact = BigDecimal.ZERO;
            for (double v : values) {
                sum.add(0, v);
                exact = exact.add(new BigDecimal(v));
            }
            String what = "trial " + trial + ": " + values;
            assertSameBits(exact.doubleValue(), sum.rounded(0), what);
            assertEquals(fitsInTwo(exact) ? 0 : 1, sum.overflowing(), what + " overflowing");
            overflowed += sum.overflowing();
        }
        assertTrue(overflowed > 1000 && overflowed < 19000, overflowed + " of 20000 overflowed: both cases met");
    }

    @ParameterizedTest
    @ValueSource(longs = {61, 62})
    void anExpansionIsFoundToBeAPairExactlyWhenItIs(long seed) {
        // The test behind every move between the pair and the overflow store, on expansions of three parts and more
        // built as the store builds them, ties and powers of two among them; the pair found must be the sum's.
        Random random = new Random(seed);
        int pairs = 0;
        for (int trial = 0; trial < 50000; trial++) {
            double a = wild(random, -30, 30);
            if (random.nextInt(4) == 0) {
                a = Math.copySign(Math.scalb(1.0, Math.getExponent(a)), a);
            }
            double gap = random.nextBoolean() ? Math.ulp(a) : Math.ulp(a) / 2;
            int e = Math.getExponent(gap);
            double[] values = new double[2 + random.nextInt(3)];
            values[0] = a;
            values[1] = random.nextBoolean() ? (random.nextBoolean() ? 0.5 : -0.5) * gap : wild(random, e - 30, e + 10);
            for (int v = 2; v < values.length; v++) {
                // Lowest bits about 53 places below the tie, where one place decides.
                int top = e - 1 - random.nextInt(3);
                double m = Math.scalb(1.0 + random.nextInt(1 << 20), -20);
                values[v] = (random.nextBoolean() ? 1 : -1) * Math.scalb(m, top - random.nextInt(60));
            }
            double[] p = new double[values.length + 1];
            int n = 0;
            BigDecimal exact = BigDecimal.ZERO;
            if (random.nextBoolean()) {
                // As the store builds them: grown one value at a time, in any order.
                List<Double> order = new ArrayList<>();
                for (double v : values) {
                    order.add(v);
                }
                Collections.shuffle(order, random);
                for (double v : order) {
                    n = ExactSum.grow(p, 0, n, v);
                    exact = exact.add(new BigDecimal(v));
                }
            } else {
                // Made directly: a, half the gap to its neighbour on either side (a tie), and a part below that
                // whose lowest bit is 52 to 54 places below the tie's.
                double half = (random.nextBoolean() ? 0.5 : -0.5) * Math.ulp(a);
                if (Math.abs(a) == Math.scalb(1.0, Math.getExponent(a)) && Math.signum(half) != Math.signum(a)) {
                    half /= 2; // below a power of two the gap is half
                }
                double low = Math.scalb(1.0 + Math.scalb((double) (1 | random.nextInt(1 << 20)), -20)
                        * (random.nextInt(8) == 0 ? 0 : 1), Math.getExponent(half) - 33 - random.nextInt(3));
                if (random.nextInt(4) == 0) {
                    low = Math.scalb(1.0, Math.getExponent(half) - 52 - random.nextInt(3));
                }
                p[0] = random.nextBoolean() ? low : -low;
                p[1] = half;
                p[2] = a;
                n = 3;
                for (int j = 0; j < n; j++) {
                    exact = exact.add(new BigDecimal(p[j]));
                }
                values = Arrays.copyOf(p, 3);
            }
            double[] out = new double[2];
            boolean found = ExactSum.pairOf(p, 0, n, out);
            String what = "trial " + trial + ": " + Arrays.toString(values) + " as " + Arrays.toString(Arrays.copyOf(p, n));
            assertEquals(fitsInTwo(exact), found, what);
            if (found) {
                pairs++;
                assertSameBits(exact.doubleValue(), out[0], what + ": the pair's hi");
                assertEquals(0, exact.compareTo(new BigDecimal(out[0]).add(new BigDecimal(out[1]))), what + ": exact");
            }
        }
        assertTrue(pairs > 5000 && pairs < 45000, pairs + " pairs: both cases met");
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, -33, 34})
    void randomOrdersMergesAndSlicesGiveTheSameBits(long seed) throws Exception {
        Random random = new Random(seed);
        int size = 1 + random.nextInt(40);
        int count = 20 + random.nextInt(120);
        double[][] rows = adversarialRows(random, count, size);
        // A few non-finite values in a few entries.
        for (int m = 0; m < 3; m++) {
            double[] special = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            rows[random.nextInt(count)][random.nextInt(size)] = special[random.nextInt(3)];
        }
        Reference reference = new Reference(size);
        for (double[] row : rows) {
            reference.addAll(row);
        }
        for (int trial = 0; trial < 8; trial++) {
            List<double[]> order = new ArrayList<>(List.of(rows));
            Collections.shuffle(order, random);

            // Groups of rows, each summed by addAll or entry by entry, some through a round trip half way.
            int groups = 1 + random.nextInt(6);
            List<ExactSum> partials = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                partials.add(new ExactSum(size));
            }
            for (double[] row : order) {
                int g = random.nextInt(groups);
                if (random.nextBoolean()) {
                    partials.get(g).addAll(row);
                } else {
                    for (int i = size - 1; i >= 0; i--) {
                        partials.get(g).add(i, row[i]);
                    }
                }
                if (random.nextInt(40) == 0) {
                    partials.set(g, roundTrip(partials.get(g)));
                }
            }

            // The partials cut at the same random places; each range reduced apart, as a random tree, through
            // the wire; then put together by mergeInto at its offset.
            TreeSet<Integer> cuts = new TreeSet<>(List.of(0, size));
            for (int c = random.nextInt(4); c > 0; c--) {
                cuts.add(random.nextInt(size + 1));
            }
            ExactSum whole = new ExactSum(size);
            Integer from = 0;
            for (Integer to = cuts.higher(from); to != null; from = to, to = cuts.higher(to)) {
                List<ExactSum> slices = new ArrayList<>();
                for (ExactSum p : partials) {
                    slices.add(roundTrip(p.slice(from, to)));
                }
                while (slices.size() > 1) {
                    Collections.shuffle(slices, random);
                    ExactSum last = slices.remove(slices.size() - 1);
                    slices.get(0).merge(last);
                }
                whole.mergeInto(from, roundTrip(slices.get(0)));
            }
            assertMatches(reference, whole, "trial " + trial + ": " + groups + " groups, cut at " + cuts);

            // And the partials merged whole, left to right.
            ExactSum left = new ExactSum(size);
            for (ExactSum p : partials) {
                left.merge(p);
            }
            assertMatches(reference, left, "trial " + trial + ": merged whole");
        }
    }

    @Test
    void nonFiniteValuesAreSummedApartAndTakePrecedenceEverywhere() throws Exception {
        double inf = Double.POSITIVE_INFINITY;
        // Entry by entry: what a plain sum of the non-finite values gives, whatever the finite ones do.
        double[][] rows = {
            {inf, 1.0, Double.NaN, -inf, 1e300, 0.0},
            {1.0, -inf, 2.0, -inf, -1e300, Double.MIN_VALUE},
            {-3.0, 1.0, 2.0, 1.0, 1e-300, 0.0},
        };
        Reference reference = new Reference(6);
        ExactSum byRows = new ExactSum(6);
        for (double[] row : rows) {
            reference.addAll(row);
            byRows.addAll(row);
        }
        assertMatches(reference, byRows, "addAll");
        for (int perm = 0; perm < 6; perm++) {
            ExactSum merged = new ExactSum(6);
            for (int r = 0; r < 3; r++) {
                ExactSum part = new ExactSum(6);
                part.addAll(rows[(r + perm) % 3]);
                if (perm % 2 == 1) {
                    part = roundTrip(part);
                }
                merged.merge(part);
            }
            assertMatches(reference, merged, "merged, rotation " + perm);
            ExactSum sliced = new ExactSum(6);
            sliced.mergeInto(3, merged.slice(3, 6));
            sliced.mergeInto(0, roundTrip(merged.slice(0, 3)));
            assertMatches(reference, sliced, "sliced, rotation " + perm);
        }
        // NaN is the one NaN, whatever NaN went in.
        ExactSum nan = new ExactSum(1);
        nan.add(0, Double.longBitsToDouble(0x7ff0_0000_0000_0001L));
        assertSameBits(Double.NaN, nan.rounded(0), "a signalling NaN's payload");
        // A running sum that passes the largest double is infinite, as plain summation would be.
        ExactSum big = new ExactSum(1);
        big.add(0, Double.MAX_VALUE);
        ExactSum big2 = new ExactSum(1);
        big2.add(0, Double.MAX_VALUE);
        big.merge(big2);
        assertSameBits(inf, big.rounded(0), "MAX + MAX merged");
        big.add(0, -Double.MAX_VALUE);
        assertSameBits(inf, big.rounded(0), "and stays so");
        // A first addAll of a vector with non-finite values and negative zeros.
        ExactSum first = new ExactSum(4);
        first.addAll(new double[] {-0.0, Double.NaN, -inf, -2.5});
        assertSameBits(0.0, first.rounded(0), "-0 is +0");
        assertSameBits(Double.NaN, first.rounded(1), "NaN");
        assertSameBits(-inf, first.rounded(2), "-inf");
        assertSameBits(-2.5, first.rounded(3), "-2.5");
    }

    @Test
    void aSumOfNothingButZerosHoldsNothingAndWritesAlmostNothing() throws Exception {
        ExactSum sum = new ExactSum(1 << 20);
        assertTrue(sum.isZero());
        sum.addAll(new double[1 << 20]);
        sum.add(5, -0.0);
        sum.merge(new ExactSum(1 << 20));
        sum.mergeInto(10, new ExactSum(7));
        assertTrue(sum.isZero(), "zeros added");
        assertTrue(sum.slice(3, 1000).isZero());
        byte[] written = bytes(sum);
        assertTrue(written.length < 200, written.length + " bytes");
        ExactSum back = (ExactSum) read(written);
        assertTrue(back.isZero());
        assertEquals(1 << 20, back.size());
        assertSameBits(0.0, back.rounded(12345), "entry");
        sum.add(7, 1.0);
        assertFalse(sum.isZero());
    }

    @Test
    void aMillionTypicalEntriesWriteAtMostSeventeenBytesEachAndComeBackTheSame() throws Exception {
        int size = 1 << 20;
        Random random = new Random(99);
        ExactSum sum = new ExactSum(size);
        double[] row = new double[size];
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < size; i++) {
                row[i] = random.nextGaussian() * 16;
            }
            sum.addAll(row);
        }
        assertEquals(0, sum.overflowing(), "sums of Gaussians fit in pairs");
        byte[] written = bytes(sum);
        double perEntry = written.length / (double) size;
        assertTrue(perEntry <= 17.0, perEntry + " bytes an entry");
        ExactSum back = (ExactSum) read(written);
        double[] expected = sum.rounded();
        double[] actual = back.rounded();
        for (int i = 0; i < size; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                assertSameBits(expected[i], actual[i], "entry " + i);
            }
        }
        // Going on from the copy is going on from the original: add the same row to both and compare.
        sum.addAll(row);
        back.addAll(row);
        assertTrue(Arrays.equals(sum.rounded(), back.rounded()));

        // One entry in a hundred non-zero: a fraction of the dense size.
        ExactSum sparse = new ExactSum(size);
        for (int i = 0; i < size; i += 100) {
            sparse.add(i, random.nextGaussian());
            sparse.add(i, random.nextGaussian());
        }
        byte[] sparseWritten = bytes(sparse);
        assertTrue(sparseWritten.length < size / 2, sparseWritten.length + " bytes for " + size / 100 + " entries");
        ExactSum sparseBack = (ExactSum) read(sparseWritten);
        assertTrue(Arrays.equals(sparse.rounded(), sparseBack.rounded()));
    }

    @Test
    void aClearedSumHoldsNothingAndSumsWhatComesNextAsANewOneWould() {
        int size = 12;
        Random random = new Random(5);
        ExactSum sum = new ExactSum(size);
        double[][] before = adversarialRows(random, 20, size);
        for (double[] row : before) {
            sum.addAll(row);
        }
        for (int j = 0; j < 5; j++) {
            sum.add(2, Math.scalb(1.0, -70 * j)); // entry 2 in the overflow store
        }
        assertTrue(sum.overflowing() > 0);
        sum.clear();
        assertTrue(sum.isZero());
        assertEquals(0, sum.overflowing());
        assertSameBits(0.0, sum.rounded(2), "entry 2 after clear");

        Reference reference = new Reference(size);
        for (double[] row : adversarialRows(random, 20, size)) {
            reference.addAll(row);
            sum.addAll(row);
        }
        sum.add(7, -3.5);
        reference.add(7, -3.5);
        assertMatches(reference, sum, "after clear");
    }

    @Test
    void slicesAndOffsetsAreCheckedAndSlicesAreCopies() {
        ExactSum sum = new ExactSum(10);
        sum.add(4, 1.0);
        assertThrows(IndexOutOfBoundsException.class, () -> sum.slice(-1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.slice(5, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.slice(6, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.mergeInto(8, new ExactSum(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.mergeInto(-1, new ExactSum(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.add(10, 1.0));
        assertThrows(IndexOutOfBoundsException.class, () -> sum.rounded(-1));
        assertEquals(0, sum.slice(3, 3).size());
        ExactSum slice = sum.slice(3, 6);
        assertEquals(3, slice.size());
        assertSameBits(1.0, slice.rounded(1), "entry 4 is the slice's 1");
        slice.add(1, 1.0);
        assertSameBits(1.0, sum.rounded(4), "the sum is not changed by its slice");
        sum.mergeInto(3, slice);
        assertSameBits(3.0, sum.rounded(4), "1 + 2");
        sum.mergeInto(7, new ExactSum(3));
        sum.mergeInto(10, new ExactSum(0));
        assertSameBits(3.0, sum.rounded(4), "nothing merged");
    }

    /** What a wide layer's task does with its blocks: many of them, each a whole vector, then slices. */
    @ParameterizedTest
    @ValueSource(longs = {41, 42})
    void blocksOfManyScalesSummedAndSlicedMatchTheReference(long seed) throws Exception {
        Random random = new Random(seed);
        int size = 300;
        Reference reference = new Reference(size);
        List<ExactSum> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ExactSum task = new ExactSum(size);
            for (int b = 0; b < 6; b++) {
                double scale = Math.scalb(1.0, random.nextInt(120) - 60);
                double[] block = new double[size];
                for (int i = 0; i < size; i++) {
                    block[i] = random.nextGaussian() * scale;
                }
                reference.addAll(block);
                task.addAll(block);
            }
            tasks.add(roundTrip(task));
        }
        assertTrue(tasks.get(0).overflowing() > 0, "scales 2^120 apart overflow some entries");
        ExactSum total = new ExactSum(size);
        for (int from = 0; from < size; from += 64) {
            int to = Math.min(size, from + 64);
            ExactSum range = new ExactSum(to - from);
            for (int t = tasks.size() - 1; t >= 0; t--) {
                range.merge(roundTrip(tasks.get(t).slice(from, to)));
            }
            total.mergeInto(from, range);
        }
        assertMatches(reference, total, "sliced");
        ExactSum plain = new ExactSum(size);
        for (ExactSum task : tasks) {
            plain.merge(task);
        }
        assertMatches(reference, plain, "merged whole");
    }
}
