package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CsvRows.parse: exactly {@code width} finite decimal numbers a line, or an error naming file and line. */
class CsvRowsTest {
    private static final String FILE = "data/X.csv";
    private static final long LINE = 12_345_678_901L;

    private static double[] parse(String line, int width) {
        double[] dest = new double[width];
        CsvRows.parse(line, FILE, LINE, width, "the rows of X", dest, 0);
        return dest;
    }

    private static void assertSameBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "value " + i + ": expected " + expected[i] + " but was " + actual[i]);
        }
    }

    /** Parsing {@code line} as {@code width} values fails with a message naming the file and line. */
    private static InputException assertRejected(String line, int width) {
        InputException e = assertThrows(InputException.class, () -> parse(line, width),
                "'" + line + "' should be rejected");
        assertTrue(e.getMessage().startsWith(FILE + " line " + LINE + ": "),
                "message does not name the file and line: " + e.getMessage());
        assertEquals(FILE, e.error().file());
        assertEquals(LINE, e.error().line());
        assertTrue(e.getMessage().indexOf('\n') < 0, "message is not one line: " + e.getMessage());
        return e;
    }

    @Test
    void plainNumbersParse() {
        assertSameBits(new double[] {1.0, -2.5, 3.0}, parse("1,-2.5,3", 3));
        assertSameBits(new double[] {42.0}, parse("42", 1));
    }

    @Test
    void spacesAndTabsAroundValuesAreIgnored() {
        assertSameBits(new double[] {1.5, -2000.0, 0.04}, parse("  1.5 ,\t-2e3 ,  +4E-2  ", 3));
        assertSameBits(new double[] {7.0, 8.0}, parse("7 , 8", 2));
    }

    @Test
    void trailingCarriageReturnIsIgnored() {
        assertSameBits(new double[] {1.0, 2.0}, parse("1,2\r", 2));
    }

    @Test
    void exponentsAndDecimalFormsParseToTheNearestDouble() {
        assertSameBits(new double[] {1e10, 1.25e-7, -3e+2, 0.5, 5.0, 1e308, 4.9e-324, 0.1},
                parse("1e10,1.25E-7,-3e+2,.5,5.,1e308,4.9e-324,0.1", 8));
        assertSameBits(new double[] {Double.MAX_VALUE, -Double.MIN_NORMAL},
                parse("1.7976931348623157E308,-2.2250738585072014E-308", 2));
        assertSameBits(new double[] {0.3, 1.0 / 3},
                parse("0.299999999999999988897769753748434595763683319091796875,0.3333333333333333", 2));
    }

    @Test
    void negativeZeroKeepsItsSign() {
        assertSameBits(new double[] {-0.0, 0.0, -0.0, 0.0}, parse("-0.0,0,-0,+0.0", 4));
    }

    @Test
    void valuesGoToTheGivenOffsetAndNothingElseIsWritten() {
        double[] dest = {9, 9, 9, 9, 9, 9};
        CsvRows.parse("1,2,3", FILE, 1, 3, "test", dest, 2);
        assertArrayEquals(new double[] {9, 9, 1, 2, 3, 9}, dest, 0.0);
    }

    @Test
    void headerLineIsRejected() {
        InputException e = assertRejected("x1,x2,x3", 3);
        assertTrue(e.getMessage().contains("x1"), e.getMessage());
    }

    @Test
    void tooFewValuesAreRejectedWithTheCounts() {
        InputException e = assertRejected("1,2", 3);
        assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
        assertRejected("1", 2);
    }

    @Test
    void tooManyValuesAreRejectedWithTheCounts() {
        InputException e = assertRejected("1,2,3,4", 3);
        assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
        assertTrue(e.getMessage().contains("found 4"), e.getMessage());
        assertRejected("1,2", 1);
        assertRejected("1,2,3,", 3);
        assertRejected("1,2,3,junk", 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "   \t  "})
    void emptyLineIsRejected(String line) {
        assertRejected(line, 1);
        assertRejected(line, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,,3", ",2,3", "1,2,", "1, ,3", ",,", "1,\t,3"})
    void emptyValueBetweenCommasIsRejected(String line) {
        assertRejected(line, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "+Infinity",
        "INF"})
    void nonFiniteValuesAreRejected(String token) {
        InputException e = assertRejected("1," + token + ",3", 3);
        assertTrue(e.getMessage().contains(token), e.getMessage());
        assertRejected(token, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.8e308", "99999999e999"})
    void numbersThatOverflowADoubleAreRejected(String token) {
        InputException e = assertRejected("0," + token, 2);
        assertTrue(e.getMessage().contains(token), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1p3", "0x10", "0X1.8P1", "1d", "1f", "1D", "1L", "1.2.3", "1e", "e5", "--1", "+-1", "+", "-",
        ".", "1_000", "1 2", "1e5e5", "abc", "\"1\"", "'1'", "1;2", "½", "١", "true", "null"})
    void hexAndOtherJunkIsRejected(String token) {
        assertRejected("0," + token + ",0", 3);
        assertRejected(token, 1);
    }

    @Test
    void lineNumbersBeyondIntRangeAreReportedAsGiven() {
        InputException e = assertThrows(InputException.class,
                () -> CsvRows.parse("a", "Y.csv", 3_000_000_000L, 1, "the rows of Y", new double[1], 0));
        assertTrue(e.getMessage().startsWith("Y.csv line 3000000000: "), e.getMessage());
    }

    @Test
    void countFieldsCountsCommaSeparatedFieldsAndNoneForABlankLine() {
        assertEquals(0, CsvRows.countFields(""));
        assertEquals(0, CsvRows.countFields("   "));
        assertEquals(1, CsvRows.countFields("1"));
        assertEquals(2, CsvRows.countFields("1,2"));
        assertEquals(3, CsvRows.countFields(",,"));
        assertEquals(4, CsvRows.countFields("a, b ,c,"));
    }

    @org.junit.jupiter.api.Test
    void aByteOrderMarkAtTheStartOfALineIsNotPartOfTheNumber() {
        double[] out = new double[2];
        CsvRows.parse("\uFEFF1.5,2", "X.csv", 1, 2, "d = 2", out, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.5, 2.0}, out);
    }

    @org.junit.jupiter.api.Test
    void invisibleCharactersInABadTokenAreShownEscaped() {
        InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                () -> CsvRows.parse("1\u200B5,2", "X.csv", 4, 2, "d = 2", new double[2], 0));
        org.junit.jupiter.api.Assertions.assertEquals("X.csv line 4: '1\\u200B5' is not a number", e.getMessage());
    }
}
