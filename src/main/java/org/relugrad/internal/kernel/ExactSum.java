package org.relugrad.internal.kernel;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exact sums of many doubles, one per entry of a vector, rounded once at the end.
 *
 * <p>Nothing is rounded until {@link #rounded()}, so the result is the exact sum rounded to nearest (ties to
 * even), whatever the order of the additions, merges and slices. That is what makes partition counts, executor
 * counts and task retries invisible in the result.
 *
 * <p><b>Layout.</b> Entry i's exact sum is held as two doubles, {@code hi[i] + lo[i]}, in two flat arrays: a
 * normalized pair, {@code hi} being the sum rounded to nearest and {@code lo} the exact rest, so {@link #rounded()}
 * is {@code hi} itself. Sums of doubles of similar magnitudes nearly always fit: two doubles hold any sum whose
 * bits span up to 106 places. Adding x is Knuth's exact TwoSum three times (hi + x, then lo plus that error, then
 * the two new parts again), with one test that is almost never true: that the last rest is not zero (the sum needs
 * a third double) or not finite. No branch depends on the values otherwise, so the loops of {@link #addAll} and
 * {@link #merge} run on the Vector API where it is there ({@link ExactSumVector}), with the same bits.
 *
 * <p>An entry whose exact sum does not fit moves to the overflow store, where it is a Shewchuk expansion of as
 * many doubles as it needs (non-overlapping, growing in magnitude, as in Python's {@code math.fsum}), four doubles a
 * slot in one flat array (a longer one in an array of its own), and moves back when its sum fits in two again.
 * It is marked by a NaN {@code lo}, its {@code hi} being its slot's number; the fast path meets the NaN and leaves
 * such entries to the slow one. That is 16 bytes an entry, and about 40 more for each entry in the store (which
 * sums of values of similar scales hardly ever need); nothing at all until something other than zero is added.
 *
 * <p><b>Non-finite values.</b> Infinities and NaN cannot be held exactly; they are summed apart in plain floating
 * point (whose result for infinities and NaN does not depend on order) and take precedence: such an entry is a
 * non-finite {@code hi} with a NaN {@code lo}, and what is added to it afterwards counts only if it is non-finite
 * too. A running sum that passes the largest double (about 1.8e308) is treated as such an input: only there can
 * the order of additions show. NaN is always {@link Double#NaN}.
 *
 * <p><b>Wire.</b> Java serialization writes, for each run of 64 entries, which of their {@code hi} and
 * {@code lo} are not zero (two longs) and those values only: about 16.3 bytes an entry for dense sums (less where
 * the rest is zero), a quarter of a byte for an entry that is zero, a few bytes for a sum to which nothing was
 * added. An entry in the overflow store is written there as zero and listed after: its index, its length and its
 * parts.
 *
 * <p>Not thread-safe.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 2L;
    /** Whether the fast path runs on the Vector API ({@link ExactSumVector}): the same bits, in fewer instructions. */
    private static final boolean VECTOR = vectorApiLoads();
    /**
     * The fewest entries an addAll or merge takes to the Vector API. Until the JIT's last tier compiles it, Vector
     * API code runs many times slower than plain code; a narrow layer's sum (16 entries at d = k = 4, added once a
     * block, hundreds of times a pass) would stay there for several passes, 10 % of a pass at d = k = 4. A sum this
     * large is compiled within its first call, and narrower ones cost little in plain code. Not final only so that
     * the tests can run the Vector API code on their small adversarial sums.
     */
    static int vectorMinEntries = 1 << 16;

    private final int size;
    /** Entry i's exact sum is hi[i] + lo[i] (see the class comment); both null until something not zero is added. */
    private transient double[] hi;
    private transient double[] lo;
    /** The entries that need more than two doubles; null while there are none. */
    private transient Overflow overflow;
    /** The arrays of a sum {@link #clear}ed, for {@link #allocate} to use again; null when there are none. */
    private transient double[] spareHi;
    private transient double[] spareLo;
    /** Room for the slow path's expansions, so that it allocates nothing. */
    private transient double[] scratch;
    /** storePair's answer. */
    private transient double[] pair;

    /** A vector of {@code size} sums, each zero. */
    public ExactSum(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /**
     * Whether nothing but zeros was ever added or merged into this sum (and so it holds no arrays): cheap. A sum
     * whose additions cancelled out exactly is zero in every entry but not {@code isZero()}.
     */
    public boolean isZero() {
        return hi == null;
    }

    /** Adds {@code x} exactly to entry {@code i}. */
    public void add(int i, double x) {
        Objects.checkIndex(i, size);
        if (hi == null) {
            if (x == 0.0) {
                return;
            }
            allocate();
        }
        addToEntry(i, x);
    }

    /** add, once the arrays are there. */
    private void addToEntry(int i, double x) {
        double a = hi[i];
        double b = lo[i];
        // a + x = s + e, b + e = t + f, s + t = u + g: each exact (TwoSum), so the sum is u + g + f. A NaN
        // shows up in f if x, a + x or lo is not finite (an entry not a pair has a NaN lo), and in g if u is not.
        double s = a + x;
        double sv = s - a;
        double e = (a - (s - sv)) + (x - sv);
        double t = b + e;
        double tv = t - b;
        double f = (b - (t - tv)) + (e - tv);
        double u = s + t;
        double uv = u - s;
        double g = (s - (u - uv)) + (t - uv);
        if (f != 0.0 | g != g) {
            addSlow(i, x);
        } else {
            hi[i] = u;
            lo[i] = g;
        }
    }

    /** Adds {@code values[j]} to entry {@code j} for every j. */
    public void addAll(double[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("expected " + size + " values, got " + values.length);
        }
        if (hi == null) {
            addFirst(values);
            return;
        }
        int i = VECTOR && size >= vectorMinEntries ? ExactSumVector.addAll(this, hi, lo, values, size) : 0;
        for (; i < size; i++) {
            addToEntry(i, values[i]);
        }
    }

    /** Adds every sum held by {@code other} into this one, exactly. */
    public void merge(ExactSum other) {
        if (other.size != size) {
            throw new IllegalArgumentException("cannot merge sums of sizes " + size + " and " + other.size);
        }
        mergeInto(0, other);
    }

    /**
     * Adds entry j of {@code part} into entry {@code offset + j} of this sum, exactly, for every j: the way back
     * for a {@link #slice} summed elsewhere.
     */
    public void mergeInto(int offset, ExactSum part) {
        Objects.checkFromIndexSize(offset, part.size, size);
        if (part.hi == null) {
            return;
        }
        if (part == this) {
            part = slice(0, size);
        }
        if (hi == null) {
            allocate();
            copyIn(offset, part);
            return;
        }
        int n = part.size;
        int j = VECTOR && n >= vectorMinEntries
                ? ExactSumVector.merge(this, hi, lo, offset, part, part.hi, part.lo, n) : 0;
        for (; j < n; j++) {
            mergeEntry(offset + j, part, j);
        }
    }

    /** Adds entry j of {@code part} into entry i, exactly. */
    void mergeEntry(int i, ExactSum part, int j) {
        double c = part.hi[j];
        double d = part.lo[j];
        double a = hi[i];
        double b = lo[i];
        // (a, b) + c as in add, then + d; a NaN d (an entry of part that is not a pair) ends in a NaN g2.
        double s = a + c;
        double sv = s - a;
        double e = (a - (s - sv)) + (c - sv);
        double t = b + e;
        double tv = t - b;
        double f = (b - (t - tv)) + (e - tv);
        double u = s + t;
        double uv = u - s;
        double g = (s - (u - uv)) + (t - uv);
        double s2 = u + d;
        double sv2 = s2 - u;
        double e2 = (u - (s2 - sv2)) + (d - sv2);
        double t2 = g + e2;
        double tv2 = t2 - g;
        double f2 = (g - (t2 - tv2)) + (e2 - tv2);
        double u2 = s2 + t2;
        double uv2 = u2 - s2;
        double g2 = (s2 - (u2 - uv2)) + (t2 - uv2);
        if (f != 0.0 | f2 != 0.0 | g2 != g2) {
            mergeSlow(i, part, j);
        } else {
            hi[i] = u2;
            lo[i] = g2;
        }
    }

    /** Entries [from, to) as a sum of their own, exact: a copy, which this sum does not share. */
    public ExactSum slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        ExactSum out = new ExactSum(to - from);
        if (hi == null) {
            return out;
        }
        out.hi = Arrays.copyOfRange(hi, from, to);
        out.lo = Arrays.copyOfRange(lo, from, to);
        if (overflow != null) {
            Overflow o = overflow;
            for (int slot = 0; slot < o.slots; slot++) {
                int entry = o.entries[slot];
                if (entry >= from && entry < to) {
                    out.hi[entry - from] = out.overflow().add(entry - from, o.array(slot), o.offset(slot), o.counts[slot]);
                }
            }
        }
        return out;
    }

    /** Entry {@code i}: the exact sum rounded to the nearest double, ties to even. */
    public double rounded(int i) {
        Objects.checkIndex(i, size);
        if (hi == null) {
            return 0.0;
        }
        return lo[i] == lo[i] ? hi[i] : roundedSpecial(i);
    }

    /** All entries, each rounded once. */
    public double[] rounded() {
        double[] out = new double[size];
        if (hi == null) {
            return out;
        }
        System.arraycopy(hi, 0, out, 0, size);
        double[] lo = this.lo;
        for (int i = 0; i < size; i++) {
            if (lo[i] != lo[i]) {
                out[i] = roundedSpecial(i);
            }
        }
        return out;
    }

    /** How many entries are in the overflow store now, needing more than two doubles (for tests and benchmarks). */
    int overflowing() {
        return overflow == null ? 0 : overflow.live;
    }

    // ---- the slow paths ----

    private static boolean vectorApiLoads() {
        try {
            return ExactSumVector.worthIt();
        } catch (LinkageError e) {
            return false; // no jdk.incubator.vector module
        }
    }

    private void allocate() {
        if (spareHi != null) {
            Arrays.fill(spareHi, 0.0);
            Arrays.fill(spareLo, 0.0);
            hi = spareHi;
            lo = spareLo;
            spareHi = null;
            spareLo = null;
            return;
        }
        hi = new double[size];
        lo = new double[size];
    }

    /**
     * Empties the sum, as new, keeping its arrays for the next addition: an executor's sum of a wide layer is
     * 16·d·k bytes (1 GiB at d = 4096, k = 16384), and a new one every pass piles up in the heap until the
     * collector gets to it.
     */
    public void clear() {
        if (hi != null) {
            spareHi = hi;
            spareLo = lo;
        }
        hi = null;
        lo = null;
        overflow = null;
    }

    /** addAll into a sum that holds nothing yet: a copy, each pair (x, 0). */
    private void addFirst(double[] values) {
        int first = 0;
        while (first < size && values[first] == 0.0) {
            first++;
        }
        if (first == size) {
            return;
        }
        allocate();
        double[] hi = this.hi;
        for (int i = first; i < size; i++) {
            double x = values[i];
            if (x - x == 0.0) {
                hi[i] = x + 0.0; // -0.0 is +0.0, as the exact sum of zeros is
            } else {
                setNonFinite(i, x);
            }
        }
    }

    /** Copies every entry of {@code part} to {@code offset} onwards in this sum, whose entries there are zero. */
    private void copyIn(int offset, ExactSum part) {
        System.arraycopy(part.hi, 0, hi, offset, part.size);
        System.arraycopy(part.lo, 0, lo, offset, part.size);
        Overflow o = part.overflow;
        if (o != null) {
            for (int slot = 0; slot < o.slots; slot++) {
                if (o.entries[slot] >= 0) {
                    int i = offset + o.entries[slot];
                    hi[i] = overflow().add(i, o.array(slot), o.offset(slot), o.counts[slot]);
                }
            }
        }
    }

    /** add's other cases: x or the entry not finite, an entry in the overflow store, or a sum that does not fit. */
    private void addSlow(int i, double x) {
        double a = hi[i];
        double b = lo[i];
        if (b != b) {
            if (!Double.isFinite(a)) {
                hi[i] = canonical(a + x);
            } else if (x != 0.0) {
                addToOverflowing(i, (int) a, x);
            }
            return;
        }
        if (!Double.isFinite(x)) {
            setNonFinite(i, x);
            return;
        }
        double[] p = scratch();
        int n = 0;
        if (b != 0.0) {
            p[n++] = b;
        }
        if (a != 0.0) {
            p[n++] = a;
        }
        n = grow(p, 0, n, x);
        if (n < 0) {
            setNonFinite(i, p[0]);
        } else if (!storePair(i, p, 0, n)) {
            hi[i] = overflow().add(i, p, 0, n);
            lo[i] = Double.NaN;
        }
    }

    /** Entry j of {@code part} into entry i, when the fast path could not. Entry i is as it was before. */
    private void mergeSlow(int i, ExactSum part, int j) {
        double c = part.hi[j];
        double d = part.lo[j];
        if (d == d) {
            add(i, c);
            add(i, d);
        } else if (!Double.isFinite(c)) {
            setNonFinite(i, c);
        } else {
            Overflow o = part.overflow;
            int slot = (int) c;
            double[] p = o.array(slot);
            int at = o.offset(slot);
            for (int m = 0; m < o.counts[slot]; m++) {
                if (lo[i] != lo[i] && Double.isFinite(hi[i])) {
                    addToOverflowing(i, (int) hi[i], p[at + m]);
                } else {
                    add(i, p[at + m]);
                }
            }
        }
    }

    /** Adds finite, non-zero x to entry i, which is in the overflow store at {@code slot}. */
    private void addToOverflowing(int i, int slot, double x) {
        Overflow o = overflow;
        int before = o.counts[slot];
        o.room(slot);
        double[] p = o.array(slot);
        int at = o.offset(slot);
        int n = grow(p, at, before, x);
        if (n < 0) {
            setNonFinite(i, p[at]);
            return;
        }
        o.counts[slot] = n;
        // Back to a pair when it surely fits, or may: a sum of three that lost a part. (One of three that did not
        // is rarely the sum of two doubles, and trying each time would be the slow path's main cost.)
        if ((n <= 2 || (n == 3 && n < before)) && storePair(i, p, at, n)) {
            o.release(slot);
        }
    }

    /** Entry i becomes (or, if it is already, adds) the non-finite x; it leaves the overflow store if it was there. */
    private void setNonFinite(int i, double x) {
        double a = hi[i];
        if (lo[i] != lo[i]) {
            if (!Double.isFinite(a)) {
                hi[i] = canonical(a + x);
                return;
            }
            overflow.release((int) a);
        }
        hi[i] = canonical(x);
        lo[i] = Double.NaN;
    }

    /**
     * Stores the expansion p[at, at + n) as entry i's pair, if its sum is the sum of two doubles: the sum rounded
     * to nearest and the exact rest. Returns false, storing nothing, if it is not.
     */
    private boolean storePair(int i, double[] p, int at, int n) {
        if (pair == null) {
            pair = new double[2];
        }
        if (!pairOf(p, at, n, pair)) {
            return false;
        }
        hi[i] = pair[0];
        lo[i] = pair[1];
        return true;
    }

    /**
     * Whether the expansion p[at, at + n) sums to two doubles; if it does, {@code out} is the pair: the sum rounded
     * to nearest and the exact rest. (A sum that rounds to infinity makes an infinite pair, which is read as such.)
     */
    static boolean pairOf(double[] p, int at, int n, double[] out) {
        if (n <= 2) {
            double x = n == 2 ? p[at + 1] : n == 1 ? p[at] : 0.0;
            double y = n == 2 ? p[at] : 0.0;
            double s = x + y;
            double sv = s - x;
            out[0] = s;
            out[1] = (x - (s - sv)) + (y - sv);
            return true;
        }
        if (n == 3) {
            // The common case, cheaply. p2 + p1 = h + l and l + p0 = l2 + m exactly (TwoSum), so the sum is
            // h + l2 + m. If m is 0 it is the pair's. If not, and l is not half the gap from h to its neighbour on
            // l's side (a tie), the sum rounds to h (|l| is at most that half less p1's lowest bit, |p0| below that
            // bit) and its rest, l + p0, is no double: it does not fit. Only a tie (or an infinity) needs more.
            double p0 = p[at];
            double p1 = p[at + 1];
            double p2 = p[at + 2];
            double h = p2 + p1;
            double hv = h - p2;
            double l = (p2 - (h - hv)) + (p1 - hv);
            double l2 = l + p0;
            double lv = l2 - l;
            double m = (l - (l2 - lv)) + (p0 - lv);
            if (m == 0.0) {
                double sum = h + l2;
                double sv = sum - h;
                out[0] = sum;
                out[1] = (h - (sum - sv)) + (l2 - sv);
                return true;
            }
            double twice = 2.0 * l;
            double neighbour = h + twice;
            if (neighbour - h != twice && Double.isFinite(neighbour)) {
                return false;
            }
        }
        // The sum rounded, and what is left of it, which must be a double: rare, so it may allocate.
        double r = roundExpansion(p, at, n);
        double[] q = Arrays.copyOfRange(p, at, at + n + 2);
        int m = grow(q, 0, n, -r);
        if (m < 0) {
            return false;
        }
        double rest = 0.0;
        if (m > 0) {
            rest = roundExpansion(q, 0, m);
            if (grow(q, 0, m, -rest) != 0) {
                return false;
            }
        }
        out[0] = r;
        out[1] = rest;
        return true;
    }

    private double roundedSpecial(int i) {
        double a = hi[i];
        if (!Double.isFinite(a)) {
            return a;
        }
        int slot = (int) a;
        return roundExpansion(overflow.array(slot), overflow.offset(slot), overflow.counts[slot]);
    }

    private Overflow overflow() {
        if (overflow == null) {
            overflow = new Overflow();
        }
        return overflow;
    }

    /** Room for the slow path's expansion of at most three parts, growing by one. */
    private double[] scratch() {
        if (scratch == null) {
            scratch = new double[4];
        }
        return scratch;
    }

    private static double canonical(double x) {
        return x != x ? Double.NaN : x;
    }

    // ---- expansions: non-overlapping doubles growing in magnitude, no zeros ----

    /**
     * Adds x exactly to the expansion p[at, at + n), in place (p has room for one more part): Shewchuk's
     * Grow-Expansion with TwoSum, dropping zeros. Returns its new length, or -1 if a partial sum passed the largest
     * double, p[at] then being that infinite sum.
     */
    static int grow(double[] p, int at, int n, double x) {
        int kept = at;
        for (int j = at; j < at + n; j++) {
            double y = p[j];
            double s = x + y;
            double sv = s - x;
            double r = (x - (s - sv)) + (y - sv);
            if (r != 0.0) {
                if (r != r) { // s is infinite
                    p[at] = s;
                    return -1;
                }
                p[kept++] = r;
            }
            x = s;
        }
        if (x != 0.0) {
            p[kept++] = x;
        }
        return kept - at;
    }

    /** The exact sum of the expansion p[at, at + n) rounded to nearest, ties to even. */
    static double roundExpansion(double[] p, int at, int n) {
        if (n == 0) {
            return 0.0;
        }
        // The parts are non-overlapping and grow in magnitude: add from the top until the sum stops being exact.
        double hi = p[at + --n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = p[at + --n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // hi + lo was a tie broken to even; the parts below decide which way it really goes.
        if (n > 0 && ((lo < 0.0 && p[at + n - 1] < 0.0) || (lo > 0.0 && p[at + n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            if (y == x - hi) {
                hi = x;
            }
        }
        return hi;
    }

    /**
     * The entries that need more than two doubles, by slot: each an expansion (see {@link #grow}) and the entry it
     * belongs to (-1 for a free slot). An expansion of up to four parts is in {@code flat} at four doubles a slot;
     * a longer one in an array of its own.
     */
    private static final class Overflow {
        static final int STRIDE = 4;
        double[] flat = new double[4 * STRIDE];
        /** Null, or per slot null or the parts of an expansion longer than STRIDE. */
        double[][] longer;
        int[] counts = new int[4];
        int[] entries = new int[4];
        /** Slots ever used: [0, slots). */
        int slots;
        /** Slots in use. */
        int live;
        private int[] free = new int[4];
        private int freeCount;

        /** The array that holds the slot's parts, from {@link #offset}. */
        double[] array(int slot) {
            return longer != null && longer[slot] != null ? longer[slot] : flat;
        }

        int offset(int slot) {
            return longer != null && longer[slot] != null ? 0 : slot * STRIDE;
        }

        /** A slot for entry i holding a copy of p[at, at + n); returns it as a double, for hi[i]. */
        double add(int entry, double[] p, int at, int n) {
            int slot;
            if (freeCount > 0) {
                slot = free[--freeCount];
            } else {
                if (slots == counts.length) {
                    int grown = slots * 2;
                    flat = Arrays.copyOf(flat, grown * STRIDE);
                    counts = Arrays.copyOf(counts, grown);
                    entries = Arrays.copyOf(entries, grown);
                    if (longer != null) {
                        longer = Arrays.copyOf(longer, grown);
                    }
                }
                slot = slots++;
            }
            entries[slot] = entry;
            live++;
            if (n <= STRIDE) {
                System.arraycopy(p, at, flat, slot * STRIDE, n);
            } else {
                if (longer == null) {
                    longer = new double[counts.length][];
                }
                longer[slot] = new double[2 * n];
                System.arraycopy(p, at, longer[slot], 0, n);
            }
            counts[slot] = n;
            return slot;
        }

        /** Makes room for one more part in the slot, moving its parts to an array of their own past STRIDE. */
        void room(int slot) {
            int n = counts[slot];
            if (longer == null || longer[slot] == null) {
                if (n < STRIDE) {
                    return;
                }
                if (longer == null) {
                    longer = new double[counts.length][];
                }
                longer[slot] = Arrays.copyOfRange(flat, slot * STRIDE, slot * STRIDE + 2 * STRIDE);
            } else if (n == longer[slot].length) {
                longer[slot] = Arrays.copyOf(longer[slot], 2 * n);
            }
        }

        void release(int slot) {
            entries[slot] = -1;
            counts[slot] = 0;
            if (longer != null) {
                longer[slot] = null;
            }
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = slot;
            live--;
        }
    }

    // ---- serialization ----

    /** Entries per page written at once: 64 groups of 64. */
    private static final int PAGE = 4096;
    /** A page's most bytes: per group two masks and 64 pairs. */
    private static final int PAGE_BYTES = (PAGE / 64) * (16 + 64 * 16);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    /** What follows size in the stream: nothing was added; or pages, then the overflowing entries. */
    private static final byte EMPTY = 0;
    private static final byte PAIRS = 1;
    /** More parts than an expansion of finite doubles can have: each holds bits of its own, of 2098 places. */
    private static final int MAX_PARTS = 2098;

    /**
     * Writes the size; then EMPTY, or PAIRS followed by pages of up to 4096 entries (each its length in bytes, then
     * per 64 entries a mask of the non-zero hi, a mask of the non-zero lo, and those values, little-endian), in
     * which an overflowing entry is (0, 0); then the overflowing entries (their count, then each one's index,
     * length and parts), by index.
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        if (hi == null) {
            out.writeByte(EMPTY);
            return;
        }
        out.writeByte(PAIRS);
        byte[] buf = new byte[PAGE_BYTES];
        for (int from = 0; from < size; from += PAGE) {
            int length = encode(from, Math.min(size, from + PAGE), buf);
            out.writeInt(length);
            out.write(buf, 0, length);
        }
        int[] slots = overflowSlotsByEntry();
        out.writeInt(slots.length);
        for (int slot : slots) {
            int n = overflow.counts[slot];
            double[] p = overflow.array(slot);
            int at = overflow.offset(slot);
            out.writeInt(overflow.entries[slot]);
            out.writeShort(n);
            for (int m = 0; m < n; m++) {
                out.writeDouble(p[at + m]);
            }
        }
    }

    private int encode(int from, int to, byte[] buf) {
        double[] hi = this.hi;
        double[] lo = this.lo;
        int at = 0;
        for (int group = from; group < to; group += 64) {
            int end = Math.min(to, group + 64);
            int masks = at;
            at += 16;
            long hiMask = 0;
            for (int i = group; i < end; i++) {
                double h = hi[i];
                if (h != 0.0 && (lo[i] == lo[i] || !Double.isFinite(h))) { // not an overflowing entry's slot
                    hiMask |= 1L << (i - group);
                    DOUBLES.set(buf, at, h);
                    at += 8;
                }
            }
            long loMask = 0;
            for (int i = group; i < end; i++) {
                double l = lo[i];
                if (l != 0.0 && (l == l || !Double.isFinite(hi[i]))) {
                    loMask |= 1L << (i - group);
                    DOUBLES.set(buf, at, l);
                    at += 8;
                }
            }
            LONGS.set(buf, masks, hiMask);
            LONGS.set(buf, masks + 8, loMask);
        }
        return at;
    }

    private int[] overflowSlotsByEntry() {
        if (overflow == null || overflow.live == 0) {
            return new int[0];
        }
        long[] keyed = new long[overflow.live];
        int n = 0;
        for (int slot = 0; slot < overflow.slots; slot++) {
            if (overflow.entries[slot] >= 0) {
                keyed[n++] = ((long) overflow.entries[slot] << 32) | slot;
            }
        }
        Arrays.sort(keyed);
        int[] slots = new int[n];
        for (int m = 0; m < n; m++) {
            slots[m] = (int) keyed[m];
        }
        return slots;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (size < 0) {
            throw new InvalidObjectException("negative size " + size);
        }
        byte format = in.readByte();
        if (format == EMPTY) {
            return;
        }
        if (format != PAIRS) {
            throw new InvalidObjectException("unknown format " + format);
        }
        allocate();
        byte[] buf = new byte[PAGE_BYTES];
        for (int from = 0; from < size; from += PAGE) {
            int length = in.readInt();
            if (length < 0 || length > PAGE_BYTES) {
                throw new InvalidObjectException("page of " + length + " bytes");
            }
            in.readFully(buf, 0, length);
            decode(from, Math.min(size, from + PAGE), buf, length);
        }
        int count = in.readInt();
        if (count < 0 || count > size) {
            throw new InvalidObjectException(count + " overflowing entries");
        }
        int previous = -1;
        double[] read = new double[0];
        double[] p = new double[0];
        for (int m = 0; m < count; m++) {
            int entry = in.readInt();
            int n = in.readShort();
            if (entry <= previous || entry >= size || hi[entry] != 0.0 || lo[entry] != 0.0 || n < 0 || n > MAX_PARTS) {
                throw new InvalidObjectException("overflowing entry " + entry + " of " + n + " parts");
            }
            previous = entry;
            if (read.length < n) {
                read = new double[n];
                p = new double[n + 1];
            }
            for (int j = 0; j < n; j++) {
                read[j] = in.readDouble();
            }
            // Summed again, so that what is kept is an expansion whatever the stream held.
            int parts = 0;
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(read[j]) || (parts = grow(p, 0, parts, read[j])) < 0) {
                    throw new InvalidObjectException("overflowing entry " + entry + " is not finite");
                }
            }
            if (!storePair(entry, p, 0, parts)) {
                hi[entry] = overflow().add(entry, p, 0, parts);
                lo[entry] = Double.NaN;
            }
        }
    }

    /** Decodes a page into [from, to), checking that each entry is a pair or non-finite. */
    private void decode(int from, int to, byte[] buf, int length) throws IOException {
        int at = 0;
        for (int group = from; group < to; group += 64) {
            int n = Math.min(to, group + 64) - group;
            if (at + 16 > length) {
                throw new InvalidObjectException("page ends early");
            }
            long hiMask = (long) LONGS.get(buf, at);
            long loMask = (long) LONGS.get(buf, at + 8);
            at += 16;
            if (n < 64 && ((hiMask | loMask) >>> n) != 0) {
                throw new InvalidObjectException("entries past the end");
            }
            if (at + 8 * (Long.bitCount(hiMask) + Long.bitCount(loMask)) > length) {
                throw new InvalidObjectException("page ends early");
            }
            for (long m = hiMask; m != 0; m &= m - 1) {
                hi[group + Long.numberOfTrailingZeros(m)] = (double) DOUBLES.get(buf, at);
                at += 8;
            }
            for (long m = loMask; m != 0; m &= m - 1) {
                lo[group + Long.numberOfTrailingZeros(m)] = (double) DOUBLES.get(buf, at);
                at += 8;
            }
            for (long m = hiMask | loMask; m != 0; m &= m - 1) {
                int i = group + Long.numberOfTrailingZeros(m);
                double h = hi[i];
                double l = lo[i];
                if (l != l && !Double.isFinite(h)) {
                    hi[i] = canonical(h); // non-finite
                } else if (!Double.isFinite(h) || !Double.isFinite(l) || h + l != h) {
                    // A pair is hi, the sum rounded to nearest, and the exact rest.
                    throw new InvalidObjectException("entry " + i + " is (" + h + ", " + l + ")");
                }
            }
        }
        if (at != length) {
            throw new InvalidObjectException("page of " + length + " bytes holds " + at);
        }
    }
}
