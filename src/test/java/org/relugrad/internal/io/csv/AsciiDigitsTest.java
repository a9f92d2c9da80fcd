package org.relugrad.internal.io.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Eight digits at a time: against one digit at a time by division, and against Long.toString. */
class AsciiDigitsTest {
    private static final byte UNTOUCHED = '#';

    @Test
    void everyNumberBelowTenToTheEightHasItsEightDigitsInReadingOrder() {
        for (int n = 0; n < 100_000_000; n++) {
            long expected = 0;
            int rest = n;
            for (int i = 7; i >= 0; i--) {
                expected |= (long) (rest % 10) << 8 * i;
                rest /= 10;
            }
            long digits = AsciiDigits.eight(n);
            if (digits != expected) {
                assertEquals(Long.toHexString(expected), Long.toHexString(digits), "the digits of " + n);
            }
        }
    }

    @Test
    void rowIndicesAreWrittenAsLongToStringWritesThemAndNothingBeforeIsTouched() {
        Random random = new Random(7);
        for (long power = 1; ; power *= 10) {
            assertWritten(power - 1);
            assertWritten(power);
            assertWritten(power + 1);
            if (power > Long.MAX_VALUE / 10) {
                break;
            }
        }
        assertWritten(Long.MAX_VALUE);
        assertWritten(Long.MAX_VALUE - 1);
        for (int i = 0; i < 100_000; i++) {
            assertWritten(random.nextLong() >>> 1 + random.nextInt(63));
        }
    }

    private static void assertWritten(long n) {
        int at = 3;
        // Exactly the 19 bytes the writer may use: a store past them would throw.
        byte[] dest = new byte[at + 19];
        Arrays.fill(dest, UNTOUCHED);
        int end = AsciiDigits.write(n, dest, at);
        assertEquals(Long.toString(n), new String(dest, at, end - at, StandardCharsets.US_ASCII));
        for (int i = 0; i < at; i++) {
            assertEquals(UNTOUCHED, dest[i], "byte " + i + " before " + n);
        }
    }
}
