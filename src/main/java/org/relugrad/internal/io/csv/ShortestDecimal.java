package org.relugrad.internal.io.csv;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A double as the shortest decimal that reads back ({@link Double#parseDouble}) as the same double, the one
 * closest to it among those, laid out as {@link Double#toString} lays it out ("1.5", "100.0", "0.001", "1.0E-5"),
 * written as ASCII bytes. This is Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to render doubles",
 * 2020), which Java 19 made {@code Double.toString}'s; before Java 19, {@code Double.toString} is several times
 * slower and sometimes gives a digit more. Its steps and names follow the paper's, as Java's own code does.
 */
final class ShortestDecimal {
    /** The most characters a double takes, as in "-2.2250738585072014E-308". */
    static final int MAX_CHARS = 24;

    private static final int P = 53;
    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << (P - 1);
    private static final long C_TINY = 3;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    /** Digits in a double's decimal, at most. */
    private static final int H = 17;
    private static final long MASK_63 = (1L << 63) - 1;
    private static final long[] POW10 = new long[H + 1];
    /** g = g1 2^63 + g0 = floor(β) + 1 where 10^-k = β 2^r and 2^125 ≤ β < 2^126, for k from K_MIN. */
    private static final long[] G1 = new long[K_MAX - K_MIN + 1];
    private static final long[] G0 = new long[K_MAX - K_MIN + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i <= H; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
        for (int k = K_MIN; k <= K_MAX; k++) {
            BigInteger beta;
            if (k <= 0) {
                BigInteger power = BigInteger.TEN.pow(-k);
                int shift = 126 - power.bitLength();
                beta = shift >= 0 ? power.shiftLeft(shift) : power.shiftRight(-shift);
            } else {
                BigInteger power = BigInteger.TEN.pow(k);
                beta = BigInteger.ONE.shiftLeft(125 + power.bitLength()).divide(power);
            }
            BigInteger g = beta.add(BigInteger.ONE);
            G1[k - K_MIN] = g.shiftRight(63).longValue();
            G0[k - K_MIN] = g.longValue() & MASK_63;
        }
    }

    private ShortestDecimal() {
    }

    static String of(double value) {
        byte[] text = new byte[MAX_CHARS];
        return new String(text, 0, write(value, text, 0), StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code value}'s characters to {@code dest[at ..]}; returns the index after the last. The
     * {@link #MAX_CHARS} bytes from {@code at} must fit in {@code dest}: those past the value's may be overwritten.
     */
    static int write(double value, byte[] dest, int at) {
        long bits = Double.doubleToRawLongBits(value);
        long t = bits & (C_MIN - 1);
        int bq = (int) (bits >>> (P - 1)) & 0x7FF;
        if (bq == 0x7FF) {
            return ascii(t != 0 ? "NaN" : bits > 0 ? "Infinity" : "-Infinity", dest, at);
        }
        // A sign bit of 1 keeps the minus; without a branch, as a value's sign is as good as random.
        dest[at] = '-';
        at += (int) (bits >>> 63);
        if (bq != 0) {
            int mq = -Q_MIN + 1 - bq;
            long c = C_MIN | t;
            // An integer below 2^53 is its own shortest decimal: 0 < mq < P, and c's last mq bits zero. Those bits
            // are tested first: they are zero for few values, so the branch goes the same way almost always, where
            // one on 0 < mq < P, that is on |value| ≥ 1, would go either way as the values do.
            if (c << -mq == 0 && 0 < mq && mq < P) {
                long f = c >> mq;
                return digits(f, length(f), 0, dest, at);
            }
            return shortest(-mq, c, 0, dest, at);
        }
        if (t != 0) {
            return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, dest, at) : shortest(Q_MIN, t, 0, dest, at);
        }
        return ascii("0.0", dest, at);
    }

    /** Writes the shortest decimal of c 2^q, the result's exponent lowered by {@code dk}. */
    private static int shortest(int q, long c, int dk, byte[] dest, int at) {
        int out = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            // The spacing below a power of two is half the spacing above.
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = G1[k - K_MIN];
        long g0 = G0[k - K_MIN];
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        // The choices below are made with arithmetic, not branches: on random values each goes either way about
        // as often, so a branch on it would be mispredicted about every other time.
        long s = vb >> 2;
        long tt = s + 1;
        long uin = atMost(vbl + out, s << 2);
        long win = atMost((tt << 2) + out, vbr);
        // s + 1 if only it rounds back to the double, or if both do and it is the closer (the even one on a tie).
        long up = atMost(1, vb - ((s + tt) << 1) + (s & 1));
        long f = s + (win & (uin ^ 1 | up));
        int e = k + dk;
        if (s >= 100) {
            // One digit fewer, where exactly one of its two neighbours rounds back to the double.
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long upin = atMost(vbl + out, sp10 << 2);
            long wpin = atMost(((sp10 + 10) << 2) + out, vbr);
            long fewer = -(upin ^ wpin); // all ones where the shorter one is taken
            f += (sp10 + 10 * (upin ^ 1) - f) & fewer;
            e -= dk & (int) fewer;
        }
        // A normal double's c is 2^52 or more, and so f is at least 2^52 and below 10 2^53: 16 or 17 digits.
        int len = c >= C_MIN ? 16 + (int) atMost(POW10[16], f) : length(f);
        return digits(f, len, e, dest, at);
    }

    /** 1 if a ≤ b, else 0, for |a|, |b| < 2^62. */
    private static long atMost(long a, long b) {
        return (b - a) >>> 63 ^ 1;
    }

    /** rop(cp g 2^-127), g = g1 2^63 + g0: the product rounded to odd. */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    /** The digits of f > 0. */
    private static int length(long f) {
        int len = flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        return len + (int) atMost(POW10[len], f);
    }

    /** Writes f 10^e, f of {@code len} ≤ 17 digits, as Double.toString lays it out. */
    private static int digits(long f, int len, int e, byte[] dest, int at) {
        // Now f 10^e = 0.f' 10^e' with f' of exactly 17 digits: h, then m and l of eight each.
        f *= POW10[H - len];
        e += len;
        long hm = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20;
        int l = (int) (f - 100_000_000L * hm);
        int h = (int) (hm * 1_441_151_881L >>> 57);
        int m = (int) (hm - 100_000_000 * h);
        long mDigits = AsciiDigits.eight(m);
        long lDigits = AsciiDigits.eight(l);
        // Digits up to the last that is not zero; trailing zero digits are the words' leading zero bytes.
        int significant = l != 0 ? H - (Long.numberOfLeadingZeros(lDigits) >>> 3)
                : m != 0 ? 9 - (Long.numberOfLeadingZeros(mDigits) >>> 3) : 1;
        byte first = (byte) ('0' + h);
        long middle = mDigits + AsciiDigits.ZEROS;
        long last = lDigits + AsciiDigits.ZEROS;
        if (-3 < e && e <= 7) {
            return plain(first, middle, last, significant, e, dest, at);
        }
        dest[at] = first;
        dest[at + 1] = '.';
        AsciiDigits.put(dest, at + 2, middle);
        AsciiDigits.put(dest, at + 10, last);
        return exponent(e - 1, dest, at + 1 + Math.max(significant, 2));
    }

    /**
     * Writes 0.f 10^e for -3 < e ≤ 7 without an exponent, f's 17 digits being {@code first}, then the eight of
     * {@code middle} and of {@code last} (ASCII, first digit in the lowest byte), the last of its
     * {@code significant} digits not zero: for e > 0 the point goes after the e-th digit, with at least one digit
     * after it ("1.5", "100.0"); for e ≤ 0 the digits follow "0." and -e zeros ("0.001"). Both layouts are written
     * the same way, without a branch: whether a value is below 1 is as good as random in the numbers written.
     */
    private static int plain(byte first, long middle, long last, int significant, int e, byte[] dest, int at) {
        // Below 1: the digits start after "0." and -e zeros, and no point goes among them.
        int above = (int) atMost(1, e);
        long aboveMask = -(long) above;
        int offset = (2 - e) & (above - 1);
        // For e > 0 the point goes in after the e-th digit, inside the middle word: its last digit moves out by one.
        int pointAt = 8 * (e - 1);
        long before = (1L << pointAt) - 1 | ~aboveMask;
        long spliced = middle & before | ((long) '.' << pointAt | (middle & ~before) << 8) & aboveMask;
        dest[at] = '0';
        dest[at + 1] = '.';
        dest[at + 2] = '0';
        dest[at + 3] = '0';
        at += offset;
        dest[at] = first;
        AsciiDigits.put(dest, at + 1, spliced);
        dest[at + 9] = (byte) (middle >>> 56);
        AsciiDigits.put(dest, at + 9 + above, last);
        // At least one digit after the point, a zero if need be (e + 1 ≤ 1 ≤ significant below 1).
        return at + above + Math.max(significant, e + 1);
    }

    /** Writes "E", a minus if e < 0, then |e| ≤ 324 in one to three digits. */
    private static int exponent(int e, byte[] dest, int at) {
        // Without branches, as on random bits both the sign and the number of digits are as good as random.
        dest[at] = 'E';
        dest[at + 1] = '-';
        at += 1 + (e >>> 31);
        e = Math.abs(e);
        int hundreds = e * 1_311 >>> 17;
        int rest = e - 100 * hundreds;
        int tens = rest * 103 >>> 10;
        int digits = hundreds | tens << 8 | (rest - 10 * tens) << 16;
        // The leading zeros are the lowest bytes: one below 100, two below 10.
        int zeros = (int) (atMost(e, 99) + atMost(e, 9));
        digits = (digits + 0x30_3030) >>> 8 * zeros;
        dest[at] = (byte) digits;
        dest[at + 1] = (byte) (digits >>> 8);
        dest[at + 2] = (byte) (digits >>> 16);
        return at + 3 - zeros;
    }

    private static int ascii(String text, byte[] dest, int at) {
        for (int i = 0; i < text.length(); i++) {
            dest[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    /** floor(q log10 2). */
    private static int flog10pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 2^q)). */
    private static int flog10threeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** floor(q log2 10). */
    private static int flog2pow10(int q) {
        return (int) (q * 913_124_641_741L >> 38);
    }
}
