package org.relugrad.internal.io.synthetic;

import org.relugrad.internal.io.RowRangeInput;

import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * Synthetic X (n × d), W (d × k), Y (n × k), made where they are needed, reproducible anywhere.
 *
 * <p>Entry i (row-major: i = r·cols + c, r the global row) of a matrix with stream seed s is 2u − 1 with u the i-th
 * {@code nextDouble()} of {@code new java.util.SplittableRandom(s)}, computed directly as
 * u = (mix64(s + (i+1)·0x9E3779B97F4A7C15) &gt;&gt;&gt; 11)·2⁻⁵³. X uses seed SEED, W SEED+1, Y SEED+2.
 */
public final class SyntheticInput implements RowRangeInput, RowBlock.RowMaker {
    private static final long serialVersionUID = 1L;
    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** The multipliers of SplittableRandom's mix64. */
    static final long MIX1 = 0xBF58476D1CE4E5B9L;
    static final long MIX2 = 0x94D049BB133111EBL;
    private static final double ULP = 0x1.0p-53;
    static final double TWO_ULP = 0x1.0p-52;
    /** Whether the Vector API module is there and worth it: without it, SyntheticLanes cannot even be loaded. */
    private static final boolean VECTOR_API = vectorApiLoads();
    /** Values per call of the vector code: a multiple of any vector's lane count. */
    private static final int VECTOR_CALL_VALUES = 64;

    private final long n;
    private final int d;
    private final int k;
    private final long seed;

    public SyntheticInput(long n, int d, int k, long seed) {
        if (n < 1 || d < 1 || k < 1) {
            throw new IllegalArgumentException("--generate needs N, D, K >= 1, got " + n + "," + d + "," + k);
        }
        if ((long) d * k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--generate: W of " + d + "x" + k + " is too large");
        }
        this.n = n;
        this.d = d;
        this.k = k;
        this.seed = seed;
    }

    /** Entry {@code index} (row-major) of the matrix with stream seed {@code streamSeed}: a value in [−1, 1). */
    public static double entry(long streamSeed, long index) {
        long z = streamSeed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        z = z ^ (z >>> 31);
        return 2.0 * ((z >>> 11) * ULP) - 1.0;
    }

    /**
     * Fills {@code dest[0 .. count)} with entries {@code first, first + 1, ...} of stream {@code streamSeed}: the
     * same values as {@link #entry}, written so the JIT compiler can keep several entries in flight (the stream
     * position is s + (first+1)·γ + i·γ, and 2·(m·2⁻⁵³) − 1 is m·2⁻⁵² − 1 exactly); about twice as fast. On the
     * Vector API where it is there ({@link SyntheticLanes}), with the same bits, several times faster again.
     */
    public static void fill(long streamSeed, long first, double[] dest, int count) {
        long start = streamSeed + (first + 1) * GOLDEN_GAMMA;
        int done = 0;
        if (VECTOR_API) {
            // In short calls: until the JIT compiles it, Vector API code runs a hundred times slower than plain
            // Java, and the JIT compiles a method called often much sooner than one that runs one long loop.
            for (; count - done > VECTOR_CALL_VALUES; done += VECTOR_CALL_VALUES) {
                SyntheticLanes.fill(start + done * GOLDEN_GAMMA, dest, done, VECTOR_CALL_VALUES);
            }
            done += SyntheticLanes.fill(start + done * GOLDEN_GAMMA, dest, done, count - done);
        }
        fillPlain(start, dest, done, count);
    }

    /** dest[i] for i in [from, count), the i-th entry from stream position {@code start}, in plain Java. */
    static void fillPlain(long start, double[] dest, int from, int count) {
        for (int i = from; i < count; i++) {
            long z = start + i * GOLDEN_GAMMA;
            z = (z ^ (z >>> 30)) * MIX1;
            z = (z ^ (z >>> 27)) * MIX2;
            z = z ^ (z >>> 31);
            dest[i] = (z >>> 11) * TWO_ULP - 1.0;
        }
    }

    private static boolean vectorApiLoads() {
        try {
            return SyntheticLanes.fits();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public Matrix open(Configuration conf) {
        double[] w = new double[d * k];
        fill(seed + 1, 0, w, w.length);
        return new Matrix(d, k, w);
    }

    @Override
    public long rows() {
        return n;
    }

    @Override
    public RowBlock read(long firstRow, int count) {
        return readReusing(firstRow, count, null);
    }

    @Override
    public RowBlock readReusing(long firstRow, int count, RowBlock previous) {
        boolean reuse = previous != null && previous.d() == d && previous.k() == k
                && previous.x().length >= count * d && previous.y().length >= count * k;
        double[] x = reuse ? previous.x() : new double[count * d];
        double[] y = reuse ? previous.y() : new double[count * k];
        make(firstRow, count, x, y);
        return new RowBlock(firstRow, count, d, k, x, y);
    }

    /**
     * Blocks after the first made on demand: the kernel then makes a block's rows a few at a time, just before it
     * computes them, so they stay in cache instead of going to memory and back. The first block, and every block
     * of a reader given no previous block (one whose blocks are kept, as for a cache), are made at once.
     */
    @Override
    public RangeReader reader(long from, long to) {
        return new RangeReader() {
            private long next = from;

            @Override
            public RowBlock next(int count, RowBlock previous) {
                long first = next;
                next += count;
                return previous == null ? read(first, count) : previous.madeLater(first, count, SyntheticInput.this);
            }
        };
    }

    /** Rows [firstRow, firstRow + count) of X into x and of Y into y. */
    @Override
    public void make(long firstRow, int count, double[] x, double[] y) {
        fill(seed, firstRow * d, x, count * d);
        fill(seed + 2, firstRow * k, y, count * k);
    }

    @Override
    public String describe() {
        return "generate: n=" + n + " d=" + d + " k=" + k + " seed=" + seed;
    }
}
