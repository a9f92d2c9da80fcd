package org.relugrad.internal.io.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decimal digits eight at a time: the eight digits of a number below 10^8 as the eight bytes of one long, first
 * digit in the lowest byte, so that one little-endian store writes them in reading order.
 */
final class AsciiDigits {
    /** '0' in each of a long's eight bytes: added to digit values 0..9, it makes them ASCII. */
    static final long ZEROS = 0x3030_3030_3030_3030L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private AsciiDigits() {
    }

    /**
     * The eight decimal digits of {@code n} (0 ≤ n < 10^8), leading zeros too, as values 0..9 in the bytes of a
     * long, the first digit in the lowest byte: the trailing zeros of n are then the long's leading zero bytes.
     */
    static long eight(int n) {
        // Split into 4 + 4 digits, then within each 32-bit half into 2 + 2, then within each 16-bit quarter into
        // 1 + 1; the multiplications stand for exact divisions by 10^4, 100 and 10 in the ranges they see, and no
        // half or quarter carries into the next one.
        long high = n * 109_951_163L >>> 40;
        long fours = high | (n - 10_000 * high) << 32;
        long hundreds = (fours * 10_486 >>> 20) & 0x0000_007F_0000_007FL;
        long twos = hundreds | (fours - 100 * hundreds) << 16;
        long tens = (twos * 103 >>> 10) & 0x000F_000F_000F_000FL;
        return tens | (twos - 10 * tens) << 8;
    }

    /** Stores the eight bytes of {@code word} at {@code dest[at .. at + 7]}, the lowest byte first. */
    static void put(byte[] dest, int at, long word) {
        LONGS.set(dest, at, word);
    }

    /**
     * Writes {@code n} ≥ 0 in decimal, no leading zeros; returns the index after the last digit. Up to 19 bytes
     * from {@code at} may be overwritten, also past the digits.
     */
    static int write(long n, byte[] dest, int at) {
        if (n < 100_000_000) {
            return leading((int) n, dest, at);
        }
        long high = n / 100_000_000;
        int low = (int) (n - 100_000_000 * high);
        if (high < 100_000_000) {
            at = leading((int) high, dest, at);
        } else {
            // Above 10^16: at most three digits more.
            int top = (int) (high / 100_000_000);
            at = leading(top, dest, at);
            put(dest, at, eight((int) (high - 100_000_000L * top)) + ZEROS);
            at += 8;
        }
        put(dest, at, eight(low) + ZEROS);
        return at + 8;
    }

    /** Writes n < 10^8 without leading zeros but for 0 itself; eight bytes from {@code at} may be overwritten. */
    private static int leading(int n, byte[] dest, int at) {
        long digits = eight(n);
        // The leading zeros are the lowest zero bytes; shift them out, keeping at least the last digit.
        int zeros = Math.min(7, Long.numberOfTrailingZeros(digits) >>> 3);
        put(dest, at, (digits + ZEROS) >>> (8 * zeros));
        return at + 8 - zeros;
    }
}
