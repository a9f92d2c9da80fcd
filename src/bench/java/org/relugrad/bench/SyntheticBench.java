package org.relugrad.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumSet;
import java.util.Locale;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.internal.kernel.BlockKernel;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;

/**
 * The synthetic generator on one thread: {@link SyntheticInput#fill} in nanoseconds per value, and a streamed run's
 * work per row (a block generated, then the kernel over it, loss and ∂f/∂W), best of a few passes after a warm-up.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp ... org.relugrad.bench.SyntheticBench [D,K [BLOCK_ROWS]]
 * </pre>
 */
public final class SyntheticBench {
    private static final int PASSES = 5;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private SyntheticBench() {
    }

    public static void main(String[] args) {
        String[] dk = (args.length > 0 ? args[0] : "4,4").split(",");
        int d = Integer.parseInt(dk[0]);
        int k = Integer.parseInt(dk[1]);
        int blockRows = args.length > 1 ? Integer.parseInt(args[1]) : 65535;
        double[] values = new double[blockRows * d];
        double best = Double.POSITIVE_INFINITY;
        double sink = 0;
        int repeats = 200;
        for (int pass = 0; pass < PASSES + 1; pass++) {
            long start = CPU.getCurrentThreadCpuTime();
            for (int r = 0; r < repeats; r++) {
                SyntheticInput.fill(42, (long) r * values.length, values, values.length);
                sink += values[r];
            }
            double ns = (CPU.getCurrentThreadCpuTime() - start) / ((double) repeats * values.length);
            if (pass > 0) {
                best = Math.min(best, ns);
            }
        }
        System.out.println(String.format(Locale.ROOT, "fill %d values: %.3f ns/value (%s)", values.length, best,
                sink == 0 ? "-" : "ok"));

        SyntheticInput input = new SyntheticInput(1L << 40, d, k, 42);
        BlockKernel kernel = new BlockKernel(input.open(null), EnumSet.of(Output.LOSS, Output.DW));
        int blocks = 100;
        best = Double.POSITIVE_INFINITY;
        RowBlock block = null;
        for (int pass = 0; pass < PASSES + 1; pass++) {
            long start = CPU.getCurrentThreadCpuTime();
            for (int b = 0; b < blocks; b++) {
                block = input.readReusing((long) b * blockRows, blockRows, block);
                sink += kernel.apply(block).loss();
            }
            double ns = (CPU.getCurrentThreadCpuTime() - start) / ((double) blocks * blockRows);
            if (pass > 0) {
                best = Math.min(best, ns);
            }
        }
        System.out.println(String.format(Locale.ROOT, "d=%d k=%d block=%d generate+kernel (%s): %.2f ns/row (%s)",
                d, k, blockRows, kernel.path().label(), best, sink == 0 ? "-" : "ok"));
    }
}
