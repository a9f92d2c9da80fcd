package org.relugrad.internal.io.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CSV output: every number reads back as the same double, in no more digits than Double.toString gives and in the
 * digits and layout of an independent Schubfach (jackson-core's).
 */
class CsvRowWriterTest {
    private static final Random RANDOM = new Random(42);

    private static double randomDouble() {
        while (true) {
            double d = Double.longBitsToDouble(RANDOM.nextLong());
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    /** The significant digits of a decimal as Double.toString or the writer prints it. */
    private static int significantDigits(String text) {
        String digits = new BigDecimal(text).unscaledValue().abs().toString().replaceAll("0+$", "");
        return Math.max(1, digits.length());
    }

    private static void assertShortestRoundTrip(double v) {
        String written = writtenInTightRoom(v);
        // jackson-core's Schubfach, written apart from ours, gives the same digits in the same layout.
        assertEquals(com.fasterxml.jackson.core.io.NumberOutput.toString(v, true), written, "bits " + Long.toHexString(
                Double.doubleToRawLongBits(v)));
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(written)),
                v + " written as " + written);
        // Where one digit would do, two are written, the closer pair (as Double.toString does since Java 19).
        assertTrue(significantDigits(written) <= Math.max(2, significantDigits(Double.toString(v))),
                v + " written as " + written + ", Double.toString gives " + Double.toString(v));
    }

    /**
     * What the writer gives for v, written into an array with exactly its most characters of room after an offset,
     * so that any store past them throws; the bytes before the offset stay as they were.
     */
    private static String writtenInTightRoom(double v) {
        int at = 5;
        byte[] dest = new byte[at + ShortestDecimal.MAX_CHARS];
        Arrays.fill(dest, (byte) '#');
        int end = ShortestDecimal.write(v, dest, at);
        assertEquals("#####", new String(dest, 0, at, StandardCharsets.US_ASCII));
        String written = new String(dest, at, end - at, StandardCharsets.US_ASCII);
        assertEquals(written, ShortestDecimal.of(v));
        return written;
    }

    /** v and -v in jackson's digits and layout, reading back; the same decimal as {@code expected}, if given. */
    private static void assertWritten(double v, BigDecimal expected) {
        assertShortestRoundTrip(v);
        assertShortestRoundTrip(-v);
        if (expected != null) {
            String written = ShortestDecimal.of(v);
            assertEquals(0, new BigDecimal(written).compareTo(expected), v + " written as " + written);
            // Double.toString's layout: plain from 10^-3 up to below 10^7, else one digit before the point and E.
            boolean plain = expected.compareTo(new BigDecimal("0.001")) >= 0 && expected.compareTo(BigDecimal.TEN
                    .pow(7)) < 0;
            assertEquals(plain, !written.contains("E"), written);
            assertEquals("-" + written, ShortestDecimal.of(-v));
        }
    }

    /** A random number of exactly {@code digits} digits, the last not zero. */
    private static BigInteger randomDigits(int digits) {
        StringBuilder text = new StringBuilder();
        text.append((char) ('1' + RANDOM.nextInt(9)));
        for (int i = 1; i < digits - 1; i++) {
            text.append((char) ('0' + RANDOM.nextInt(10)));
        }
        if (digits > 1) {
            text.append((char) ('1' + RANDOM.nextInt(9)));
        }
        return new BigInteger(text.toString());
    }

    @Test
    void everyDigitCountAtEveryExponentIsWrittenInItsShortestDigits() {
        for (int digits = 1; digits <= 17; digits++) {
            for (int exponent = -307; exponent <= 308 - digits; exponent++) {
                BigDecimal decimal = new BigDecimal(randomDigits(digits), -exponent);
                double v = decimal.doubleValue();
                // At most 15 digits read back as themselves (DBL_DIG), so they are the shortest; more may not.
                assertWritten(v, digits <= 15 ? decimal : null);
                assertTrue(significantDigits(ShortestDecimal.of(v)) <= digits, decimal + " as " + v);
            }
        }
    }

    @Test
    void valuesAtTheLayoutBoundariesAndPowersOfTenAreWrittenInDoubleToStringsLayout() {
        for (int exponent = -323; exponent <= 308; exponent++) {
            double power = Double.parseDouble("1e" + exponent);
            assertWritten(power, exponent >= -307 ? BigDecimal.ONE.scaleByPowerOfTen(exponent) : null);
            assertWritten(Math.nextUp(power), null);
            assertWritten(Math.nextDown(power), null);
        }
        for (String decimal : new String[] {"0.001", "0.0009999", "0.00100001", "0.0012345678901234", "9999999",
            "9999999.5", "10000000", "10000001", "1234567.8901234", "0.01", "0.1", "1", "10", "1000000", "12.5",
            "123456.7", "1.0000000123", "0.0010000000000001"}) {
            assertWritten(Double.parseDouble(decimal), new BigDecimal(decimal));
        }
    }

    @Test
    void subnormalsAndTheExtremesReadBackExactly() {
        for (long bits = 1; bits < 2000; bits++) {
            assertWritten(Double.longBitsToDouble(bits), null);
        }
        for (int i = 0; i < 20_000; i++) {
            assertWritten(Double.longBitsToDouble(RANDOM.nextLong() >>> 12), null);
            assertWritten(Double.longBitsToDouble(Double.doubleToRawLongBits(Double.MIN_NORMAL) + i), null);
            assertWritten(Double.longBitsToDouble(Double.doubleToRawLongBits(Double.MAX_VALUE) - i), null);
        }
        assertWritten(Double.MIN_VALUE, new BigDecimal("4.9E-324"));
        assertWritten(Double.MAX_VALUE, new BigDecimal("1.7976931348623157E308"));
        assertWritten(Double.MIN_NORMAL, new BigDecimal("2.2250738585072014E-308"));
    }

    @Test
    void integersUpToTwoToThe53AreWrittenAsThemselves() {
        for (long n = 1; n <= 100_000; n++) {
            assertWritten(n, BigDecimal.valueOf(n));
        }
        for (int bits = 17; bits <= 53; bits++) {
            for (int i = 0; i < 2000; i++) {
                long n = (1L << bits) - RANDOM.nextInt(1 << 16);
                assertWritten(n, BigDecimal.valueOf(n));
            }
        }
        for (long power = 10; power <= 1_000_000_000_000_000L; power *= 10) {
            assertWritten(power, BigDecimal.valueOf(power));
            assertWritten(power - 1, BigDecimal.valueOf(power - 1));
            assertWritten(power + 1, BigDecimal.valueOf(power + 1));
        }
    }

    @Test
    void zerosInTheMiddleOrLastEightDigitsAreWrittenWhereTheyAre() {
        // 15 digits: the first, then eight from the second with a run of zeros in them, then six more.
        for (int i = 0; i < 50_000; i++) {
            char[] digits = randomDigits(15).toString().toCharArray();
            int from = 1 + RANDOM.nextInt(14);
            int to = Math.min(15, from + 1 + RANDOM.nextInt(14));
            Arrays.fill(digits, from, to, '0');
            BigDecimal decimal = new BigDecimal(new BigInteger(new String(digits)), 14 - RANDOM.nextInt(28));
            assertWritten(decimal.doubleValue(), decimal.stripTrailingZeros());
        }
    }

    @Test
    void valuesAboveAndBelowOneInTurnAreWrittenInDoubleToStringsLayout() {
        // Plain layouts on either side of 1 ("0.0123", "12.5"), in random turn as gradients come, every digit count.
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + RANDOM.nextInt(15);
            BigDecimal decimal = new BigDecimal(randomDigits(digits), digits - 1 + 2 - RANDOM.nextInt(9));
            assertWritten(decimal.doubleValue(), decimal);
            assertShortestRoundTrip(Math.scalb(RANDOM.nextDouble(), RANDOM.nextInt(30) - 12));
        }
    }

    @Test
    void randomDoublesReadBackExactlyInAtMostTheDigitsOfDoubleToString() {
        for (int i = 0; i < 300_000; i++) {
            assertShortestRoundTrip(randomDouble());
            assertShortestRoundTrip(RANDOM.nextGaussian());
            assertShortestRoundTrip(Math.scalb((double) RANDOM.nextInt(1 << 20), RANDOM.nextInt(80) - 40));
        }
    }

    @Test
    void boundaryValuesReadBackExactly() {
        for (double v : new double[] {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
            Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1.0, Math.nextUp(1.0), Math.nextDown(1.0), 0.1, 1e23,
            2e-3, 1e7, 9.999999999999999e22, 0x1p53, 0x1p63, 5e-324, 1e-5, 123456789012345678.0}) {
            assertShortestRoundTrip(v);
            assertShortestRoundTrip(-v);
        }
        assertEquals("1.0E23", ShortestDecimal.of(1e23));
        assertEquals("0.002", ShortestDecimal.of(2e-3));
        assertEquals("1.0E7", ShortestDecimal.of(1e7));
        assertEquals("1234567.0", ShortestDecimal.of(1234567.0));
        assertEquals("4.9E-324", ShortestDecimal.of(Double.MIN_VALUE));
        assertEquals("-0.0", ShortestDecimal.of(-0.0));
    }

    @Test
    void rowsAreWrittenAsRowIndexThenValuesOneLineEach() {
        int cols = 37;
        int rows = 5000;
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 7 == 0 ? randomDouble() : RANDOM.nextGaussian();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvRowWriter writer = new CsvRowWriter(bytes, "part-00000.csv", cols);
        long first = 9_876_543_210L;
        writer.write(first, 1000, values);
        writer.write(first + 1000, rows - 1000, java.util.Arrays.copyOfRange(values, 1000 * cols, values.length));
        assertEquals("part-00000.csv", writer.finish());
        List<String> lines = new String(bytes.toByteArray(), StandardCharsets.US_ASCII).lines().toList();
        assertEquals(rows, lines.size());
        for (int r = 0; r < rows; r++) {
            String[] fields = lines.get(r).split(",", -1);
            assertEquals(cols + 1, fields.length, lines.get(r));
            assertEquals(first + r, Long.parseLong(fields[0]));
            for (int c = 0; c < cols; c++) {
                assertEquals(Double.doubleToRawLongBits(values[r * cols + c]),
                        Double.doubleToRawLongBits(Double.parseDouble(fields[c + 1])), lines.get(r));
            }
        }
        assertTrue(new String(bytes.toByteArray(), StandardCharsets.US_ASCII).endsWith("\n"));
    }

    @Test
    void rowsOfAnyWidthAreWrittenWholeAlsoWiderThanTheBuffer() throws Exception {
        // 5000 columns take more than the 64 KiB a narrow row's buffer holds.
        for (int cols : new int[] {0, 1, 2, 16, 5000}) {
            int rows = cols == 5000 ? 40 : 3000;
            double[] values = new double[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = i % 3 == 0 ? randomDouble() : RANDOM.nextGaussian() * 37;
            }
            // Row indices across the lengths that are written apart: 8, 16 and 19 digits.
            for (long first : new long[] {0, 99_999_999 - rows / 2, 9_999_999_999_999_999L - rows / 2,
                Long.MAX_VALUE - rows + 1}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CsvRowWriter writer = new CsvRowWriter(bytes, "part-00000.csv", cols);
                writer.write(first, rows / 2, values);
                writer.write(first + rows / 2, rows - rows / 2, Arrays.copyOfRange(values, rows / 2 * cols,
                        values.length));
                writer.finish();
                String text = new String(bytes.toByteArray(), StandardCharsets.US_ASCII);
                assertTrue(text.endsWith("\n"), cols + " columns");
                List<String> lines = text.lines().toList();
                assertEquals(rows, lines.size());
                for (int r = 0; r < rows; r++) {
                    String[] fields = lines.get(r).split(",", -1);
                    assertEquals(cols + 1, fields.length, cols + " columns, row " + r);
                    assertEquals(Long.toString(first + r), fields[0]);
                    for (int c = 0; c < cols; c++) {
                        assertEquals(com.fasterxml.jackson.core.io.NumberOutput.toString(values[r * cols + c], true),
                                fields[c + 1], cols + " columns, row " + r + ", column " + c);
                    }
                }
            }
        }
    }
}
