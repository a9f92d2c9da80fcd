package org.relugrad.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.relugrad.internal.kernel.Blas;
import org.relugrad.internal.kernel.BlockKernel;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;

/**
 * The block kernel's paths against each other on one thread, in nanoseconds per row: for each shape, blocks of
 * the job's default size holding about 256 MiB of X and Y (far beyond the caches, as cached blocks are), the
 * best of a few passes over all of them after a warm-up. What {@link BlockKernel.Path#of} chooses rests on these.
 *
 * <p>With relugrad.bench.mib=1 and relugrad.bench.blockRows=4095 the rows fit in the caches (each pass then goes
 * over them again and again, 2^24 rows in all): the kernel's time without waiting for memory, against which to read
 * its time beyond the caches.
 *
 * <p>With the property relugrad.bench.float32=true the blocks hold the same number of rows as float32 values (the
 * Gaussian values rounded to float), which the kernel widens as it reads them, as for a float32 input.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp ... org.relugrad.bench.KernelBench [D,K ...]
 * </pre>
 */
public final class KernelBench {
    /** Bytes of X and Y per shape, unless the property relugrad.bench.mib says otherwise (small: in cache). */
    private static final long DATA_BYTES = Long.getLong("relugrad.bench.mib", 256) << 20;
    private static final int PASSES = 5;
    /** Rows per block, unless the property relugrad.bench.blockRows says otherwise: the job's default for the shape. */
    private static final int BLOCK_ROWS = Integer.getInteger("relugrad.bench.blockRows", 0);
    /** With less than 16 MiB of rows, a pass goes over the blocks as often as it takes to cover this many rows. */
    private static final long PASS_ROWS = 1L << 24;
    /** Whether the blocks hold float32 values (property relugrad.bench.float32). */
    private static final boolean FLOAT32 = Boolean.getBoolean("relugrad.bench.float32");
    /** CPU time of this thread, not wall time: the machine may be shared. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private KernelBench() {
    }

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args : new String[] {"4,4", "8,8", "16,16", "32,32", "64,64", "512,256"};
        System.out.println("BLAS: " + Blas.implementation());
        for (String shape : shapes) {
            String[] dk = shape.split(",");
            run(Integer.parseInt(dk[0]), Integer.parseInt(dk[1]));
        }
    }

    private static void run(int d, int k) {
        int blockRows = BLOCK_ROWS > 0 ? BLOCK_ROWS
                : (int) Math.max(4096, Math.min(65536, Long.highestOneBit((1L << 22) / (8L * (d + k))))) - 1;
        int blocks = (int) Math.max(2, DATA_BYTES / (8L * (d + k) * blockRows));
        Random random = new Random(d * 1000L + k);
        RowBlock[] data = new RowBlock[blocks];
        for (int b = 0; b < blocks; b++) {
            double[] x = gaussian(random, blockRows * d);
            double[] y = gaussian(random, blockRows * k);
            data[b] = FLOAT32 ? new RowBlock((long) b * blockRows, blockRows, d, k, narrowed(x), narrowed(y))
                    : new RowBlock((long) b * blockRows, blockRows, d, k, x, y);
        }
        Matrix w = new Matrix(d, k, gaussian(random, d * k));
        long rowsOnce = (long) blocks * blockRows;
        // Rows in the caches: a pass goes over them again and again, long enough for the CPU clock.
        long rounds = DATA_BYTES < (16L << 20) ? Math.max(1, PASS_ROWS / rowsOnce) : 1;
        long rows = rounds * rowsOnce;
        Set<Output> lossDW = EnumSet.of(Output.LOSS, Output.DW);
        Set<Output> all = EnumSet.allOf(Output.class);
        for (BlockKernel.Path path : BlockKernel.Path.values()) {
            for (Set<Output> outputs : List.of(lossDW, all)) {
                BlockKernel kernel;
                try {
                    kernel = new BlockKernel(w, outputs, path);
                } catch (IllegalArgumentException e) {
                    continue; // the Vector API does not run this shape
                }
                double best = Double.POSITIVE_INFINITY;
                double sink = 0.0;
                for (int pass = 0; pass < PASSES + 1; pass++) {
                    long start = CPU.getCurrentThreadCpuTime();
                    for (long round = 0; round < rounds; round++) {
                        for (RowBlock block : data) {
                            sink += kernel.apply(block).loss();
                        }
                    }
                    double nsPerRow = (CPU.getCurrentThreadCpuTime() - start) / (double) rows;
                    if (pass > 0) {
                        best = Math.min(best, nsPerRow);
                    }
                }
                System.out.println(String.format(Locale.ROOT, "d=%d k=%d block=%d %-13s %-10s %9.2f ns/row  (%s)%s",
                        d, k, blockRows, path.label(), outputs.size() == 2 ? "loss,dW" : "all", best,
                        sink == 0.0 ? "-" : "ok", FLOAT32 ? "  float32 blocks" : ""));
            }
        }
    }

    private static float[] narrowed(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
