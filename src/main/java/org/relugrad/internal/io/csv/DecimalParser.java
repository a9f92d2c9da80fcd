package org.relugrad.internal.io.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * The fast path of reading a decimal number from bytes: {@code [+-] digits [. digits] [(e|E) [+-] digits]}, at
 * least one digit before the exponent, surrounded by spaces, up to a comma or the end. It gives the double
 * {@link Double#parseDouble} gives, or says it cannot decide, and then the caller asks {@code Double.parseDouble}.
 *
 * <p>A significand of up to 19 digits times a power of ten is converted exactly: by one floating-point operation
 * when both are exact doubles (Clinger's fast path), else by the Eisel–Lemire algorithm (D. Lemire, "Number Parsing
 * at a Gigabyte per Second", 2021; as in Go's strconv), which multiplies by a 128-bit truncation of the power of
 * ten and gives up where that truncation could change the rounding (as for a long significand whose value is exactly
 * a double, such as 2061001314117938.5). Longer significands, subnormal and overflowing results, and anything
 * outside the grammar above are left to the caller.
 */
final class DecimalParser {
    /** What {@link #parse} returns when it cannot decide. */
    static final int UNDECIDED = -1;

    private static final int MIN_EXPONENT = -342;
    private static final int MAX_EXPONENT = 308;
    private static final int MAX_DIGITS = 19;
    /** Larger decimal exponents are not summed further: every such number is left to the caller anyway. */
    private static final int EXPONENT_CAP = 100_000;
    private static final double[] EXACT_POWERS = new double[23];
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** The top and bottom 64 bits of the 128-bit truncation of 10^q, normalized to its top bit, for q from -342. */
    private static final long[] POWER_HIGH = new long[MAX_EXPONENT - MIN_EXPONENT + 1];
    private static final long[] POWER_LOW = new long[MAX_EXPONENT - MIN_EXPONENT + 1];

    static {
        for (int q = 0; q < EXACT_POWERS.length; q++) {
            EXACT_POWERS[q] = Double.parseDouble("1e" + q);
        }
        BigInteger low64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = MIN_EXPONENT; q <= MAX_EXPONENT; q++) {
            BigInteger mantissa;
            if (q >= 0) {
                BigInteger power = BigInteger.TEN.pow(q);
                int shift = 128 - power.bitLength();
                mantissa = shift >= 0 ? power.shiftLeft(shift) : power.shiftRight(-shift);
            } else {
                BigInteger divisor = BigInteger.TEN.pow(-q);
                mantissa = BigInteger.ONE.shiftLeft(127 + divisor.bitLength()).divide(divisor);
            }
            POWER_HIGH[q - MIN_EXPONENT] = mantissa.shiftRight(64).longValue();
            POWER_LOW[q - MIN_EXPONENT] = mantissa.and(low64).longValue();
        }
    }

    private DecimalParser() {
    }

    /**
     * Parses the number that starts at {@code bytes[from]} into {@code dest[at]}.
     *
     * @return the index of the comma that ends it, or {@code to}; {@link #UNDECIDED} when the caller must parse it
     */
    static int parse(byte[] bytes, int from, int to, double[] dest, int at) {
        int i = from;
        while (i < to && (bytes[i] & 0xFF) <= ' ') {
            i++;
        }
        boolean negative = false;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i] == '-';
            i++;
        }
        long significand = 0;
        int digits = 0;
        int exponent = 0;
        boolean anyDigit = false;
        int c;
        for (; i < to && (c = bytes[i] - '0') >= 0 && c <= 9; i++) {
            anyDigit = true;
            if (significand != 0 || c != 0) {
                significand = significand * 10 + c;
                digits++;
            }
        }
        if (i < to && bytes[i] == '.') {
            // Eight digits at a time while there are eight: the digits of a double printed in full are mostly here.
            for (i++; i + 8 <= to && digits <= MAX_DIGITS - 8; i += 8) {
                long chunk = (long) EIGHT_BYTES.get(bytes, i);
                if (!eightDigits(chunk)) {
                    break;
                }
                anyDigit = true;
                exponent -= 8;
                long value = eightDigitsValue(chunk);
                if (significand != 0) {
                    digits += 8;
                } else if (value != 0) {
                    // Leading zeros do not count: the first digit is in the lowest byte.
                    digits = 8 - (Long.numberOfTrailingZeros(chunk - 0x3030_3030_3030_3030L) >>> 3);
                }
                significand = significand * 100_000_000 + value;
            }
            for (; i < to && (c = bytes[i] - '0') >= 0 && c <= 9; i++) {
                anyDigit = true;
                exponent--;
                if (significand != 0 || c != 0) {
                    significand = significand * 10 + c;
                    digits++;
                }
            }
        }
        if (!anyDigit || digits > MAX_DIGITS) {
            return UNDECIDED;
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int start = i;
            int written = 0;
            for (; i < to && (c = bytes[i] - '0') >= 0 && c <= 9; i++) {
                written = Math.min(EXPONENT_CAP, written * 10 + c);
            }
            if (i == start) {
                return UNDECIDED;
            }
            exponent += negativeExponent ? -written : written;
        }
        while (i < to && (bytes[i] & 0xFF) <= ' ') {
            i++;
        }
        if (i < to && bytes[i] != ',') {
            return UNDECIDED;
        }
        double value = toDouble(significand, exponent, negative);
        if (Double.isNaN(value)) {
            return UNDECIDED;
        }
        dest[at] = value;
        return i;
    }

    /** Whether all eight bytes of {@code chunk} are ASCII digits. */
    private static boolean eightDigits(long chunk) {
        return (((chunk - 0x3030_3030_3030_3030L) | (chunk + 0x4646_4646_4646_4646L)) & 0x8080_8080_8080_8080L) == 0;
    }

    /** The number eight ASCII digits spell, the first in the lowest byte (D. Lemire's SWAR conversion). */
    private static long eightDigitsValue(long chunk) {
        long value = chunk - 0x3030_3030_3030_3030L;
        value = value * 10 + (value >>> 8);
        return (((value & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32)))
                + (((value >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    /** significand · 10^exponent, the significand read as unsigned; NaN when it cannot decide. */
    private static double toDouble(long significand, int exponent, boolean negative) {
        if (significand == 0) {
            return negative ? -0.0 : 0.0;
        }
        // Trailing zeros (as in 1.0000000000000000) would keep a short significand from the exact fast path, and
        // make an exact result look ambiguous to Eisel-Lemire. A number ending in 0 is even.
        while ((significand & 1) == 0 && Long.remainderUnsigned(significand, 10) == 0) {
            significand = Long.divideUnsigned(significand, 10);
            exponent++;
        }
        if (significand > 0 && significand <= 1L << 53 && exponent >= -22 && exponent <= 22) {
            double exact = exponent >= 0 ? significand * EXACT_POWERS[exponent] : significand / EXACT_POWERS[-exponent];
            return negative ? -exact : exact;
        }
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        return eiselLemire(significand, exponent, negative);
    }

    private static double eiselLemire(long significand, int exponent, boolean negative) {
        int zeros = Long.numberOfLeadingZeros(significand);
        long man = significand << zeros;
        long binaryExponent = ((217706L * exponent) >> 16) + 64 + 1023 - zeros;
        long powerHigh = POWER_HIGH[exponent - MIN_EXPONENT];
        long high = unsignedMultiplyHigh(man, powerHigh);
        long low = man * powerHigh;
        // Where the 64 bits below the result could carry into it, the power's lower 64 bits decide.
        if ((high & 0x1FF) == 0x1FF && Long.compareUnsigned(low + man, man) < 0) {
            long powerLow = POWER_LOW[exponent - MIN_EXPONENT];
            long lowHigh = unsignedMultiplyHigh(man, powerLow);
            long lowLow = man * powerLow;
            long mergedHigh = high;
            long mergedLow = low + lowHigh;
            if (Long.compareUnsigned(mergedLow, low) < 0) {
                mergedHigh++;
            }
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow + 1 == 0 && Long.compareUnsigned(lowLow + man, man) < 0) {
                return Double.NaN;
            }
            high = mergedHigh;
            low = mergedLow;
        }
        long top = high >>> 63;
        long mantissa = high >>> (top + 9);
        binaryExponent -= 1 ^ top;
        // Exactly halfway between two doubles, as far as 128 bits tell: too close to call.
        if (low == 0 && (high & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return Double.NaN;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >>> 53 > 0) {
            mantissa >>>= 1;
            binaryExponent++;
        }
        if (binaryExponent <= 0 || binaryExponent >= 0x7FF) {
            return Double.NaN;
        }
        long bits = binaryExponent << 52 | mantissa & 0x000F_FFFF_FFFF_FFFFL;
        return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
