package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every number a CSV line holds reads as the double {@link Double#parseDouble} gives, and what it refuses is
 * refused: on random doubles in every way they are printed, boundary values, and decimals next to and exactly at
 * the midpoint between two doubles, where rounding is hardest.
 */
class CsvNumberParsingTest {
    private static final Random RANDOM = new Random(20_240_611);

    /** A finite double with random bits, so every exponent is met. */
    private static double randomDouble() {
        while (true) {
            double d = Double.longBitsToDouble(RANDOM.nextLong());
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    /**
     * What a CSV value must read as, from Double.parseDouble: the value, or null where it must be refused (a
     * character other than digits, signs, points and exponent letters; a syntax error; an overflow).
     */
    private static Double reference(String token) {
        String trimmed = token.strip();
        for (char c : trimmed.toCharArray()) {
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(trimmed);
            return Double.isInfinite(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The one-value line {@code token} reads as Double.parseDouble says, alone and between other values. */
    private static void assertReadsAsParseDouble(String token) {
        Double expected = reference(token);
        for (String line : List.of(token, "7," + token + ",-1")) {
            int at = line.equals(token) ? 0 : 1;
            double[] dest = new double[line.equals(token) ? 1 : 3];
            try {
                CsvRows.parse(line, "X.csv", 3, dest.length, "test", dest, 0);
            } catch (InputException e) {
                if (expected != null) {
                    fail("'" + token + "' refused (" + e.getMessage() + "), but Double.parseDouble gives " + expected);
                }
                assertTrue(e.getMessage().startsWith("X.csv line 3: "), e.getMessage());
                continue;
            }
            if (expected == null) {
                fail("'" + token + "' read as " + dest[at] + ", but it must be refused");
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(dest[at]),
                    "'" + token + "': expected " + expected + " but read " + dest[at]);
        }
    }

    /** Where the fast path decides, it decides as Double.parseDouble does. */
    private static void assertFastPathAgrees(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        double[] dest = new double[1];
        if (DecimalParser.parse(bytes, 0, bytes.length, dest, 0) != DecimalParser.UNDECIDED) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(token)), Double.doubleToRawLongBits(dest[0]),
                    "'" + token + "'");
        }
    }

    @Test
    void randomDoublesInEveryPrintedFormReadBackExactly() {
        for (int i = 0; i < 50_000; i++) {
            double d = randomDouble();
            for (String token : List.of(Double.toString(d), String.format(Locale.ROOT, "%.17g", d),
                    String.format(Locale.ROOT, "%.18e", d), String.format(Locale.ROOT, "%.16e", d),
                    String.format(Locale.ROOT, "%.6g", d), String.format(Locale.ROOT, "%.20e", d))) {
                assertReadsAsParseDouble(token);
                assertFastPathAgrees(token);
            }
        }
    }

    @Test
    void doublesOfOrdinaryMagnitudeTakeTheFastPath() {
        int undecided = 0;
        for (int i = 0; i < 100_000; i++) {
            double d = RANDOM.nextGaussian() * Math.pow(10, RANDOM.nextInt(28) - 15);
            d = i % 10 == 0 ? Math.rint(d * 4) / 4 : d;
            for (String token : List.of(String.format(Locale.ROOT, "%.17g", d), Double.toString(d))) {
                byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
                double[] dest = new double[1];
                if (DecimalParser.parse(bytes, 0, bytes.length, dest, 0) == DecimalParser.UNDECIDED) {
                    undecided++;
                } else {
                    assertEquals(Double.doubleToRawLongBits(Double.parseDouble(token)),
                            Double.doubleToRawLongBits(dest[0]), token);
                }
            }
        }
        assertTrue(undecided < 200, undecided + " of 200000 left to Double.parseDouble");
    }

    @Test
    void decimalsAtAndBesideTheMidpointBetweenTwoDoublesRoundAsParseDoubleRounds() {
        for (int i = 0; i < 5_000; i++) {
            double d = Math.abs(randomDouble());
            if (d == Double.MAX_VALUE) {
                continue;
            }
            BigDecimal low = new BigDecimal(d);
            BigDecimal midpoint = low.add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
            List<String> tokens = new ArrayList<>();
            tokens.add(midpoint.toString());
            tokens.add(midpoint.toPlainString().length() < 2000 ? midpoint.toPlainString() : midpoint.toString());
            for (int digits : new int[] {16, 17, 18, 19, 20, 25, 40}) {
                tokens.add(midpoint.round(new MathContext(digits, RoundingMode.DOWN)).toString());
                tokens.add(midpoint.round(new MathContext(digits, RoundingMode.UP)).toString());
            }
            tokens.add(midpoint.add(midpoint.ulp()).toString());
            tokens.add(midpoint.subtract(midpoint.ulp()).toString());
            for (String token : tokens) {
                assertReadsAsParseDouble(token);
                assertReadsAsParseDouble("-" + token);
                assertFastPathAgrees(token);
            }
        }
    }

    @Test
    void boundaryValuesReadAsParseDoubleReadsThem() {
        double[] values = {Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
            Math.nextUp(Double.MIN_VALUE), Math.nextDown(Double.MAX_VALUE), 1.0, Math.nextUp(1.0), Math.nextDown(1.0),
            0x1p53, 0x1p53 + 2, 0x1p63, 0x1p64, 1e22, 1e23, 1e-22, 1e-23, 0.1, 0.2, 0.3};
        for (double v : values) {
            for (String token : List.of(Double.toString(v), new BigDecimal(v).toString(),
                    String.format(Locale.ROOT, "%.17g", v), String.format(Locale.ROOT, "%.25e", v))) {
                assertReadsAsParseDouble(token);
                assertReadsAsParseDouble("-" + token);
                assertFastPathAgrees(token);
            }
        }
        for (String token : List.of("4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
                "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
                "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807e308",
                "9007199254740993", "9007199254740993.0000000000000000001", "9007199254740992.9999999999999999999",
                "18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
                "1e-400", "-1e-400", "1e308", "1e309", "0e99999999999", "1e99999999999", "1e-99999999999",
                "123456789012345678901234567890", "0.000000000000000000000000000000000000000001234567890123456789",
                "000000000000000000000000000000001.5", "1.5000000000000000000000000000000000000000000",
                "0.1000000000000000055511151231257827021181583404541015625", "1" + "0".repeat(400) + "e-400",
                "0." + "0".repeat(330) + "1e330", "1".repeat(800), "." + "9".repeat(30), "2.2250738585072011e-308",
                "2.2250738585072012e-308", "2.2250738585072014e-308", "4.4501477170144023e-308")) {
            assertReadsAsParseDouble(token);
            assertReadsAsParseDouble("-" + token);
            assertFastPathAgrees(token);
        }
    }

    @Test
    void signsPointsAndExponentsFollowParseDouble() {
        for (String token : List.of("+1", "-1", "+0", "-0", ".5", "5.", "-.5", "+.5e1", "5.e-1", "1e5", "1E5", "1e+5",
                "1e-5", "1e05", "1e-0", "0.0e0", "  42  ", "\t-3.25\t", "1e", "1e+", "1e-", "e1", ".", "-", "+", "+-1",
                "--1", "1.2.3", "1e5e5", "1e5.5", "..5", "5..", "1 2", "inf", "NaN", "Infinity", "0x1p3", "0X1.8P1",
                "1d", "1f", "1_0", "", " ")) {
            assertReadsAsParseDouble(token);
        }
    }

    @Test
    void randomStringsOfNumberCharactersAreAcceptedAndRefusedAsParseDoubleDoes() {
        String alphabet = "0123456789.+-eE 0123456789";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder token = new StringBuilder();
            int length = 1 + RANDOM.nextInt(12);
            for (int c = 0; c < length; c++) {
                token.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            assertReadsAsParseDouble(token.toString());
            assertFastPathAgrees(token.toString().strip().isEmpty() || reference(token.toString()) == null
                    ? "0" : token.toString().strip());
        }
    }

    @Test
    void theFastPathLeavesWhatItCannotParseToTheCaller() {
        for (String token : List.of("1x", "0x10", "NaN", "1e", "", " ", ".", "1" + "0".repeat(25), "4.9e-324", "1e309")) {
            byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
            assertEquals(DecimalParser.UNDECIDED, DecimalParser.parse(bytes, 0, bytes.length, new double[1], 0), token);
        }
        byte[] line = "1.5 ,2".getBytes(StandardCharsets.US_ASCII);
        double[] dest = new double[1];
        assertEquals(4, DecimalParser.parse(line, 0, line.length, dest, 0));
        assertEquals(1.5, dest[0]);
        assertNotEquals(DecimalParser.UNDECIDED, DecimalParser.parse(line, 5, line.length, dest, 0));
        assertEquals(2.0, dest[0]);
    }
}
