package org.relugrad.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import org.relugrad.internal.kernel.ExactSum;

/**
 * ExactSum against the layout it replaced (an expansion in its own array per entry, kept here as
 * {@link OldExactSum}), in nanoseconds per entry on one thread: addAll of Gaussian vectors into a sum (the first,
 * into an empty sum, apart), merge of two such sums, rounded(), and Java serialization both ways; bytes per entry
 * on the heap and on the wire. Also addAll of vectors whose scales are 2^40 apart, which sends many entries to
 * the overflow store. Each figure is the best of a few passes after a warm-up, in CPU time of this thread (the
 * machine may be shared).
 *
 * <pre>
 *   java -Xmx8g -cp target/classes:target/test-classes org.relugrad.bench.ExactSumBench [ENTRIES] [old|new ...]
 * </pre>
 */
public final class ExactSumBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int PASSES = 3;
    private static final int VECTORS = 4;

    private ExactSumBench() {
    }

    /** What is timed, for either layout. */
    private interface Sum {
        void addAll(double[] values);

        void merge(Sum other);

        double[] rounded();

        Object serialized();
    }

    private static final class NewSum implements Sum {
        final ExactSum sum;

        NewSum(int n) {
            sum = new ExactSum(n);
        }

        NewSum(Object o) {
            sum = (ExactSum) o;
        }

        public void addAll(double[] values) {
            sum.addAll(values);
        }

        public void merge(Sum other) {
            sum.merge(((NewSum) other).sum);
        }

        public double[] rounded() {
            return sum.rounded();
        }

        public Object serialized() {
            return sum;
        }
    }

    private static final class OldSum implements Sum {
        final OldExactSum sum;

        OldSum(int n) {
            sum = new OldExactSum(n);
        }

        OldSum(Object o) {
            sum = (OldExactSum) o;
        }

        public void addAll(double[] values) {
            sum.addAll(values);
        }

        public void merge(Sum other) {
            sum.merge(((OldSum) other).sum);
        }

        public double[] rounded() {
            return sum.rounded();
        }

        public Object serialized() {
            return sum;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4 << 20;
        String[] which = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {"old", "new"};
        System.out.println("CPU: " + cpu() + "; " + Runtime.getRuntime().availableProcessors() + " processors; Java "
                + System.getProperty("java.version") + "; " + n + " entries");
        Random random = new Random(1);
        double[][] gaussian = new double[VECTORS][n];
        double[][] scaled = new double[VECTORS][n];
        for (int v = 0; v < VECTORS; v++) {
            double scale = Math.scalb(1.0, 40 * (v % 2 == 0 ? v : -v));
            for (int i = 0; i < n; i++) {
                gaussian[v][i] = random.nextGaussian();
                scaled[v][i] = gaussian[v][i] * scale;
            }
        }
        for (String name : which) {
            IntFunction<Sum> make = name.equals("old") ? OldSum::new : NewSum::new;
            boolean old = name.equals("old");
            // Warm-up on a small sum, so that the timed passes run compiled code.
            double[][] small = new double[VECTORS][];
            for (int v = 0; v < VECTORS; v++) {
                small[v] = Arrays.copyOf(gaussian[v], 1 << 14);
            }
            for (int w = 0; w < 200; w++) {
                pass(make, small, 1 << 14, old);
            }
            Result best = null;
            for (int p = 0; p < PASSES; p++) {
                Result r = pass(make, gaussian, n, old);
                best = best == null ? r : best.min(r);
            }
            Result wide = null;
            for (int p = 0; p < 2; p++) {
                Result r = pass(make, scaled, n, old);
                wide = wide == null ? r : wide.min(r);
            }
            long heap = heapPerSum(make, gaussian, n);
            long wideHeap = heapPerSum(make, scaled, n);
            System.out.println(String.format(Locale.ROOT,
                    "%s: addAll first %.2f, addAll %.2f, merge %.2f, rounded %.2f, write %.2f, read %.2f ns/entry;"
                            + " %.1f bytes/entry on the heap, %.2f written%n"
                            + "%s, scales 2^40 apart: addAll %.2f, merge %.2f ns/entry; %.1f bytes/entry on the heap,"
                            + " %.2f written",
                    name, best.first, best.addAll, best.merge, best.rounded, best.write, best.read,
                    heap / (double) n, best.bytes / (double) n, name, wide.addAll, wide.merge, wideHeap / (double) n, wide.bytes / (double) n));
        }
    }

    /** ns per entry of each step, and the bytes written. */
    private record Result(double first, double addAll, double merge, double rounded, double write, double read,
            long bytes) {
        Result min(Result o) {
            return new Result(Math.min(first, o.first), Math.min(addAll, o.addAll), Math.min(merge, o.merge),
                    Math.min(rounded, o.rounded), Math.min(write, o.write), Math.min(read, o.read), bytes);
        }
    }

    private static Result pass(IntFunction<Sum> make, double[][] vectors, int n, boolean old) throws Exception {
        Sum a = make.apply(n);
        long t0 = CPU.getCurrentThreadCpuTime();
        a.addAll(vectors[0]);
        long t1 = CPU.getCurrentThreadCpuTime();
        for (int v = 1; v < VECTORS; v++) {
            a.addAll(vectors[v]);
        }
        long t2 = CPU.getCurrentThreadCpuTime();
        Sum b = make.apply(n);
        for (int v = VECTORS - 1; v >= 0; v--) {
            b.addAll(vectors[v]);
        }
        long t3 = CPU.getCurrentThreadCpuTime();
        a.merge(b);
        long t4 = CPU.getCurrentThreadCpuTime();
        double[] r = a.rounded();
        long t5 = CPU.getCurrentThreadCpuTime();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * n);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a.serialized());
        }
        long t6 = CPU.getCurrentThreadCpuTime();
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        long t7 = CPU.getCurrentThreadCpuTime();
        Sum copy = old ? new OldSum(back) : new NewSum(back);
        if (!Arrays.equals(r, copy.rounded())) {
            throw new AssertionError("the copy rounds differently");
        }
        double per = n;
        return new Result((t1 - t0) / per, (t2 - t1) / per / (VECTORS - 1), (t4 - t3) / per, (t5 - t4) / per,
                (t6 - t5) / per, (t7 - t6) / per, bytes.size());
    }

    /** The heap a sum of the Gaussian vectors holds, in bytes: used heap after a full GC, with it and without. */
    private static long heapPerSum(IntFunction<Sum> make, double[][] vectors, int n) {
        long before = used();
        Sum s = make.apply(n);
        for (double[] v : vectors) {
            s.addAll(v);
        }
        long after = used();
        if (s.rounded().length != n) {
            throw new AssertionError();
        }
        return after - before;
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String cpu() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            for (String line : Files.readAllLines(info)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return System.getProperty("os.arch");
    }

    /** ExactSum as it was before its entries became pairs: an expansion in its own array per entry. */
    static final class OldExactSum implements Serializable {
        private static final long serialVersionUID = 1L;

        private final int size;
        /** Entry i's parts, counts[i] of them; written flat (see writeObject): one array per entry would be slow. */
        private transient double[][] parts;
        private final int[] counts;
        private double[] nonFinite;

        /** A vector of {@code size} sums, each zero. */
        OldExactSum(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, was " + size);
            }
            this.size = size;
            this.parts = new double[size][];
            this.counts = new int[size];
        }

        public int size() {
            return size;
        }

        /** Adds {@code x} exactly to entry {@code i}. */
        public void add(int i, double x) {
            if (!Double.isFinite(x)) {
                addNonFinite(i, x);
                return;
            }
            if (x == 0.0) {
                return;
            }
            double[] p = parts[i];
            if (p == null) {
                p = parts[i] = new double[4];
            }
            int n = counts[i];
            int kept = 0;
            for (int j = 0; j < n; j++) {
                double y = p[j];
                if (Math.abs(x) < Math.abs(y)) {
                    double t = x;
                    x = y;
                    y = t;
                }
                double hi = x + y;
                if (!Double.isFinite(hi)) {
                    addNonFinite(i, hi);
                    return;
                }
                double lo = y - (hi - x);
                if (lo != 0.0) {
                    p[kept++] = lo;
                }
                x = hi;
            }
            if (kept == p.length) {
                p = parts[i] = Arrays.copyOf(p, p.length * 2);
            }
            p[kept++] = x;
            counts[i] = kept;
        }

        /** Adds {@code values[j]} to entry {@code j} for every j. */
        public void addAll(double[] values) {
            if (values.length != size) {
                throw new IllegalArgumentException("expected " + size + " values, got " + values.length);
            }
            for (int j = 0; j < size; j++) {
                add(j, values[j]);
            }
        }

        /** Adds every sum held by {@code other} into this one, exactly. */
        public void merge(OldExactSum other) {
            if (other.size != size) {
                throw new IllegalArgumentException("cannot merge sums of sizes " + size + " and " + other.size);
            }
            for (int i = 0; i < size; i++) {
                double[] p = other.parts[i];
                for (int j = 0; j < other.counts[i]; j++) {
                    add(i, p[j]);
                }
                if (other.nonFinite != null && other.nonFinite[i] != 0.0) {
                    addNonFinite(i, other.nonFinite[i]);
                }
            }
        }

        /** Entry {@code i}: the exact sum rounded to the nearest double, ties to even. */
        public double rounded(int i) {
            if (nonFinite != null && nonFinite[i] != 0.0) {
                return nonFinite[i];
            }
            double[] p = parts[i];
            int n = counts[i];
            if (n == 0) {
                return 0.0;
            }
            // The parts are non-overlapping and grow in magnitude: add from the top until the sum stops being exact.
            double hi = p[--n];
            double lo = 0.0;
            while (n > 0) {
                double x = hi;
                double y = p[--n];
                hi = x + y;
                double yr = hi - x;
                lo = y - yr;
                if (lo != 0.0) {
                    break;
                }
            }
            // hi + lo was a tie broken to even; the parts below decide which way it really goes.
            if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
                double y = lo * 2.0;
                double x = hi + y;
                if (y == x - hi) {
                    hi = x;
                }
            }
            return hi;
        }

        /** All entries, each rounded once. */
        public double[] rounded() {
            double[] out = new double[size];
            for (int i = 0; i < size; i++) {
                out[i] = rounded(i);
            }
            return out;
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            double[] flat = new double[total];
            int at = 0;
            for (int i = 0; i < size; i++) {
                if (counts[i] > 0) {
                    System.arraycopy(parts[i], 0, flat, at, counts[i]);
                    at += counts[i];
                }
            }
            out.writeObject(flat);
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            double[] flat = (double[]) in.readObject();
            parts = new double[size][];
            int at = 0;
            for (int i = 0; i < size; i++) {
                if (counts[i] > 0) {
                    parts[i] = new double[Math.max(4, counts[i])];
                    System.arraycopy(flat, at, parts[i], 0, counts[i]);
                    at += counts[i];
                }
            }
        }

        private void addNonFinite(int i, double x) {
            if (nonFinite == null) {
                nonFinite = new double[size];
            }
            nonFinite[i] += x;
        }

    }
}
