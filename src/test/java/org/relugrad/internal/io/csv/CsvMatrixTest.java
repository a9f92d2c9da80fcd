package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Matrix;

/** CsvMatrix: reading whole small matrices, its errors, and exact write/read round trips. */
class CsvMatrixTest {
    private static final String FILE = "hdfs:///runs/W.csv";

    private static Matrix read(String text) {
        return CsvMatrix.read(new BufferedReader(new StringReader(text)), FILE);
    }

    private static InputException assertRejected(String text, long line) {
        InputException e = assertThrows(InputException.class, () -> read(text));
        assertEquals(FILE, e.error().file(), e.getMessage());
        assertEquals(line, e.error().line(), e.getMessage());
        String where = line > 0 ? FILE + " line " + line + ": " : FILE + ": ";
        assertTrue(e.getMessage().startsWith(where), "expected '" + where + "...', got: " + e.getMessage());
        return e;
    }

    private static void assertSameBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "value " + i + ": expected " + expected[i] + " but was " + actual[i]);
        }
    }

    @Test
    void readsRowsAndColumnsInRowMajorOrder() {
        Matrix m = read("1,2,3\n4, 5 ,-6e-1\n");
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, -0.6}, m.values(), 0.0);
    }

    @Test
    void lastLineWithoutNewlineAndCrlfLineEndingsAreRead() {
        assertArrayEquals(new double[] {1, 2, 3, 4}, read("1,2\n3,4").values(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4}, read("1,2\r\n3,4\r\n").values(), 0.0);
    }

    @Test
    void singleValueAndSingleColumnMatrices() {
        Matrix one = read("-0.0\n");
        assertEquals(1, one.rows());
        assertEquals(1, one.cols());
        assertSameBits(new double[] {-0.0}, one.values());
        Matrix column = read("1\n2\n3\n");
        assertEquals(3, column.rows());
        assertEquals(1, column.cols());
    }

    @Test
    void manyRowsGrowTheBufferWithoutLosingValues() {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 1000; r++) {
            text.append(r).append(',').append(-r).append('\n');
        }
        Matrix m = read(text.toString());
        assertEquals(1000, m.rows());
        for (int r = 0; r < 1000; r++) {
            assertEquals(r, m.get(r, 0), 0.0);
            assertEquals(-r, m.get(r, 1), 0.0);
        }
    }

    @Test
    void emptyInputIsRejectedNamingTheFile() {
        InputException e = assertRejected("", 0);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void blankFirstLineIsRejected() {
        assertRejected("\n1,2\n", 1);
        assertRejected("   \n", 1);
    }

    @ParameterizedTest(name = "{0} -> line {1}")
    @CsvSource(delimiter = '|', value = {
        "1,2,3\\n4,5\\n | 2",
        "1,2\\n3,4,5\\n | 2",
        "1,2\\n3,4\\n5\\n | 3",
        "1\\n2\\n3,4\\n | 3",
    })
    void raggedRowsAreRejectedAtTheFirstBadLine(String text, long line) {
        InputException e = assertRejected(text.replace("\\n", "\n"), line);
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void headerLineIsRejected() {
        assertRejected("w1,w2\n1,2\n", 1);
    }

    @Test
    void emptyLineInTheMiddleIsRejected() {
        assertRejected("1,2\n\n3,4\n", 2);
    }

    @Test
    void badValueIsReportedOnItsLine() {
        assertRejected("1,2\n3,4\n5,NaN\n", 3);
        assertRejected("1,2\n3,1e400\n", 2);
        assertRejected("1,2\n3,,\n", 2);
        assertRejected("1,0x10\n", 1);
    }

    @Test
    void writeThenReadRoundTripsEveryDoubleExactly() throws IOException {
        Random random = new Random(2024);
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 0.1, 1.0 / 3,
            Math.nextUp(1.0), 1e23, 9007199254740993.0, 4.35e-320, 123456789012345680.0, Math.PI};
        int rows = 300;
        int cols = 7;
        double[] values = new double[rows * cols];
        System.arraycopy(special, 0, values, 0, special.length);
        for (int i = special.length; i < values.length; i++) {
            double v;
            switch (i % 3) {
                case 0 -> {
                    // Any finite bit pattern, subnormals included.
                    do {
                        v = Double.longBitsToDouble(random.nextLong());
                    } while (!Double.isFinite(v));
                }
                case 1 -> v = Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL); // subnormal
                default -> v = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(200) - 100);
            }
            values[i] = v;
        }
        Matrix m = new Matrix(rows, cols, values.clone());
        StringWriter out = new StringWriter();
        CsvMatrix.write(m, out);
        String text = out.toString();
        assertEquals(rows, text.split("\n", -1).length - 1, "one line a row, each ending in a newline");
        Matrix back = read(text);
        assertEquals(rows, back.rows());
        assertEquals(cols, back.cols());
        assertSameBits(values, back.values());
    }

    @Test
    void writeOfAOneByOneMatrixIsOneLine() throws IOException {
        StringWriter out = new StringWriter();
        CsvMatrix.write(new Matrix(1, 1, new double[] {-2.5}), out);
        assertEquals("-2.5\n", out.toString());
    }
}
