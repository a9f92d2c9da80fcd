package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets the JIT to compile the fused kernel for one shape before the rows arrive. Until C2 has compiled it, the
 * kernel runs in the interpreter and in C1's code, where every Vector API operation is a call and an allocation:
 * 100 to 4000 times slower per row, and a block of 65,535 rows entered that way is left only when C2 compiles the
 * loop it is in. A thread computes a small synthetic block over and over, which gets the tile methods and the loop
 * over them compiled, with the profile of the same shape and outputs, in about 0.2 to 1 s of one core (d = k = 4
 * to 64). The results of later blocks do not depend on it: the kernel's bits are the same in every tier.
 *
 * <p>Once per JVM for each shape, set of outputs and type of block (a float32 block's rows go through code of their
 * own, widened a chunk at a time); the BLAS path (native code) needs none.
 */
public final class KernelWarmUp {
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
        EnumSet<Output> wanted = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
        wanted.remove(Output.LOSS);
        if (!STARTED.add(d + "x" + k + wanted + (float32 ? " float32" : ""))) {
            return null;
        }
        Thread thread = new Thread(() -> run(d, k, wanted, float32, CALLS, MAX_NANOS), "relugrad-kernel-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
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
