package org.relugrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.relugrad.internal.kernel.Blas;

/**
 * The two ceilings of the roofline that scripts/bench/grad measures relugrad against, on this machine, now:
 * the dgemm rate of the BLAS relugrad uses (through the same JNI path, {@link Blas}, one single-threaded BLAS per
 * thread, as Spark runs one task per core) and the memory bandwidth of a large array copy. Each is the best of a
 * few rounds of about a second with every thread busy at once. Prints one JSON line.
 *
 * <pre>
 *   java -cp ... org.relugrad.bench.MachinePeak [THREADS]      (default: the available processors)
 * </pre>
 */
public final class MachinePeak {
    /** Square dgemm order: large enough for the BLAS's own blocking to reach its peak. */
    private static final int ORDER = 1536;
    /** Doubles per thread copied: 128 MiB, far beyond any cache. */
    private static final int COPY_DOUBLES = 16 << 20;
    private static final int ROUNDS = 4;
    private static final double ROUND_SECONDS = 1.0;

    private MachinePeak() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double flops = best(pool, threads, MachinePeak::dgemmRound);
            double bytes = best(pool, threads, MachinePeak::copyRound);
            System.out.println(String.format(Locale.ROOT,
                    "{\"threads\": %d, \"dgemmFlopsPerSecond\": %.6g, \"dgemmOrder\": %d, \"blas\": \"%s\", "
                            + "\"copyBytesPerSecond\": %.6g, \"copyBytesPerThread\": %d}",
                    threads, flops, ORDER, Blas.implementation(), bytes, 8L * COPY_DOUBLES));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A round: every thread works for about ROUND_SECONDS and returns how much work (flops, bytes) it did. */
    private interface Round {
        double[] run(double seconds);
    }

    /** The best rate over the rounds, summing the threads' work over the longest thread's time. */
    private static double best(ExecutorService pool, int threads, Round round) throws Exception {
        double best = 0;
        for (int r = 0; r < ROUNDS; r++) {
            List<Callable<double[]>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(() -> round.run(ROUND_SECONDS));
            }
            double done = 0;
            double seconds = 0;
            for (Future<double[]> f : pool.invokeAll(work)) {
                double[] workAndSeconds = f.get();
                done += workAndSeconds[0];
                seconds = Math.max(seconds, workAndSeconds[1]);
            }
            best = Math.max(best, done / seconds);
        }
        return best;
    }

    /** C = A·B for square matrices of ORDER, repeated: 2·ORDER³ flops each. */
    private static double[] dgemmRound(double seconds) {
        int n = ORDER;
        double[] a = filled(n * n, 0.5);
        double[] b = filled(n * n, 0.25);
        double[] c = new double[n * n];
        Blas.xw(n, n, n, a, b, c);
        long start = System.nanoTime();
        long calls = 0;
        double elapsed;
        do {
            Blas.xw(n, n, n, a, b, c);
            calls++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds);
        return new double[] {2.0 * n * n * (double) n * calls, elapsed};
    }

    /** System.arraycopy of a large array, repeated: each copy reads and writes its bytes once. */
    private static double[] copyRound(double seconds) {
        double[] from = filled(COPY_DOUBLES, 1.0);
        double[] to = new double[COPY_DOUBLES];
        System.arraycopy(from, 0, to, 0, COPY_DOUBLES);
        long start = System.nanoTime();
        long copies = 0;
        double elapsed;
        do {
            System.arraycopy(from, 0, to, 0, COPY_DOUBLES);
            copies++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds);
        return new double[] {2.0 * 8 * COPY_DOUBLES * copies, elapsed};
    }

    private static double[] filled(int length, double value) {
        double[] a = new double[length];
        Arrays.fill(a, value);
        return a;
    }
}
