package org.relugrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
        String written = ShortestDecimal.of(v);
        // jackson-core's Schubfach, written apart from ours, gives the same digits in the same layout.
        assertEquals(com.fasterxml.jackson.core.io.NumberOutput.toString(v, true), written, "bits " + Long.toHexString(
                Double.doubleToRawLongBits(v)));
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(written)),
                v + " written as " + written);
        assertTrue(significantDigits(written) <= significantDigits(Double.toString(v)),
                v + " written as " + written + ", Double.toString gives " + Double.toString(v));
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
}
