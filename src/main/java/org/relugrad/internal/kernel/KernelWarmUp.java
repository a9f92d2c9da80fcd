package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets the JIT to compile the fused kernel for one shape before the rows arrive. Until C2 has compiled it, the
 * kernel runs in the interpreter and in C1's code, where every Vector API operation is a call and an allocation:
 * 100 to 4000 times slower per row, and a block of 65,535 rows entered that way is left only when C2 compiles the
 * loop it is in. A thread computes a small synthetic block over and over, which gets the tile methods and the loop
 * over them compiled, with the profile of the same shape and outputs, in about 0.3 to 2.2 s of one core (d = k = 4
 * with the loss and ∂f/∂W to 64 with every output, alone on an AMD EPYC core). The results of later blocks do not
 * depend on it: the kernel's bits are the same in every tier.
 *
 * <p>Once per JVM for each shape, set of outputs and type of block (a float32 block's rows go through code of their
 * own, widened a chunk at a time); the BLAS path (native code) needs none.
 *
 * <p>Work too small to pay for it ({@link #MIN_WORK}) runs the fused kernel in plain Java instead ({@link #pathFor}),
 * with the same bits: C1 and C2 compile plain Java within a few blocks, and cold, its rows cost about what the
 * Vector API's cost warm ten times over, not a thousand.
 */
public final class KernelWarmUp {
    /**
     * Passes of fewer multiply-adds per product (n·d·k) get no warm-up and run in plain Java while the Vector API
     * code is cold: until C2 compiles it, the vector kernel costs about half a second to a second of a core whatever
     * the rows, and the plain-Java kernel takes that long for about this much work (2 to 3.5 ns per multiply-add at
     * d = k = 64 to 4, one thread of a 2-core AMD EPYC, bench.KernelBench).
     */
    static final long MIN_WORK = 1L << 28;
    /**
     * Rows of the synthetic block: as a block of 2^m − 1 rows ends, three whole tiles, a tile of 24 rows and 7 rows
     * for the plain-Java code, so that the JIT sees every branch a block takes. Few rows, as the first calls run
     * interpreted: what gets the JIT to compile is the number of calls.
     */
    static final int ROWS = 4 * FusedKernel.TILE_ROWS - 1;
    /** Calls of the kernel on it: well past C2's thresholds (5,000 calls) for the loop over tiles and the tile code. */
    static final int CALLS = 10_000;
    /** The longest a warm-up goes on, should the JIT be slow to compile (a busy machine). */
    static final long MAX_NANOS = 10_000_000_000L;
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    /**
     * Shapes, outputs and types of block whose warm-up has ended in this JVM: their vector code is compiled (or
     * {@link #MAX_NANOS} went by trying, which on a machine too busy to compile it in that time is as good as it
     * gets).
     */
    private static final Set<String> WARM = ConcurrentHashMap.newKeySet();
    /** Multiply-adds run in plain Java so far in this JVM, by shape, outputs and type, while the vector code was cold. */
    private static final Map<String, Long> PLAIN_WORK = new ConcurrentHashMap<>();

    private KernelWarmUp() {
    }

    /**
     * Starts the warm-up for W of d × k and these outputs on a daemon thread of low priority, unless it ran or runs
     * already in this JVM or the shape goes to BLAS; returns at once, with the thread, or null where none started.
     */
    public static Thread start(int d, int k, Set<Output> outputs) {
        return start(d, k, outputs, false);
    }

    /** As {@link #start(int, int, Set)}, for blocks that keep float32 values where {@code float32}. */
    public static Thread start(int d, int k, Set<Output> outputs, boolean float32) {
        if (BlockKernel.Path.of(d, k) == BlockKernel.Path.BLAS) {
            return null;
        }
        EnumSet<Output> wanted = wanted(outputs);
        String key = key(d, k, wanted, float32);
        if (!STARTED.add(key)) {
            return null;
        }
        Thread thread = new Thread(() -> {
            run(d, k, wanted, float32, CALLS, MAX_NANOS);
            WARM.add(key);
        }, "relugrad-kernel-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /**
     * The path a task of {@code taskWork} multiply-adds (its rows · d · k), in a pass of {@code passWork}, runs
     * W of d × k on, for blocks of float32 values where {@code float32}: {@link BlockKernel.Path#of}'s, except that
     * where that is the Vector API and this JVM has no warm-up of it ended for the shape, outputs and type, a pass
     * below {@link #MIN_WORK} runs in plain Java (the same bits). Once this JVM has run that much in plain Java for
     * them (passes over cached blocks, one after another), the warm-up starts, and the passes after it has ended run
     * on the Vector API.
     */
    public static BlockKernel.Path pathFor(int d, int k, Set<Output> outputs, boolean float32, long passWork,
                                           long taskWork) {
        BlockKernel.Path best = BlockKernel.Path.of(d, k);
        if (best != BlockKernel.Path.FUSED_VECTOR || worthWarmingUp(passWork)) {
            return best;
        }
        EnumSet<Output> wanted = wanted(outputs);
        String key = key(d, k, wanted, float32);
        if (WARM.contains(key)) {
            return best;
        }
        if (PLAIN_WORK.merge(key, Math.max(0, taskWork), Long::sum) >= MIN_WORK) {
            start(d, k, wanted, float32);
        }
        return BlockKernel.Path.FUSED_PLAIN;
    }

    /**
     * Whether a pass of {@code work} multiply-adds (n·d·k) is worth a warm-up before or beside it, and the Vector API
     * from its first block: {@link #MIN_WORK} or more.
     */
    public static boolean worthWarmingUp(double work) {
        return work >= MIN_WORK;
    }

    /** Whether this JVM has started a warm-up for W of d × k, these outputs and this type of block. */
    static boolean started(int d, int k, Set<Output> outputs, boolean float32) {
        return STARTED.contains(key(d, k, wanted(outputs), float32));
    }

    private static EnumSet<Output> wanted(Set<Output> outputs) {
        EnumSet<Output> wanted = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
        wanted.remove(Output.LOSS);
        return wanted;
    }

    private static String key(int d, int k, Set<Output> wanted, boolean float32) {
        return d + "x" + k + wanted + (float32 ? " float32" : "");
    }

    /** Computes a synthetic block {@code calls} times, or until {@code maxNanos} have passed; returns the calls made. */
    static int run(int d, int k, Set<Output> outputs, int calls, long maxNanos) {
        return run(d, k, outputs, false, calls, maxNanos);
    }

    /** As {@link #run(int, int, Set, int, long)}, on a float32 block where {@code float32}. */
    static int run(int d, int k, Set<Output> outputs, boolean float32, int calls, long maxNanos) {
        long state = 0x9E3779B97F4A7C15L * (d * 131L + k);
        // Outputs with ∂f/∂b are a layer's with a bias: W with b as one more row, the bias's code warm too.
        boolean bias = outputs.contains(Output.DB);
        double[] w = new double[(bias ? d + 1 : d) * k];
        double[] x = new double[ROWS * d];
        double[] y = new double[ROWS * k];
        for (double[] a : new double[][] {w, x, y}) {
            for (int i = 0; i < a.length; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                a[i] = (state >> 11) * 0x1.0p-52; // uniform in [-1, 1): about half of Z on either side of 0
            }
        }
        BlockKernel kernel = new BlockKernel(new Matrix(bias ? d + 1 : d, k, w), bias, outputs);
        RowBlock block = float32 ? new RowBlock(0, ROWS, d, k, narrowed(x), narrowed(y))
                : new RowBlock(0, ROWS, d, k, x, y);
        long start = System.nanoTime();
        int made = 0;
        while (made < calls && System.nanoTime() - start < maxNanos) {
            kernel.apply(block);
            made++;
        }
        return made;
    }

    private static float[] narrowed(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
