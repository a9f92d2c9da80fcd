package org.relugrad.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.Dependency;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.relugrad.Matrix;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.kernel.Output;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One pass over the blocks at one W, the only place a gradient job runs: W is shared with the tasks ({@link
 * SharedW}), each partition runs the block kernel over its blocks ({@link PartitionTask}) and writes its own rows of
 * ∂f/∂X and ∂f/∂Y, the exact partial sums of f and ∂f/∂W are summed ({@link Aggregation}), W's copies are freed, and
 * the written parts are committed.
 */
final class GradientPass {
    private static final Logger LOG = LogManager.getLogger(GradientPass.class);

    private GradientPass() {
    }

    /**
     * Computes f, ∂f/∂W and, in the tasks, whatever else of {@code outputs}; writes ∂f/∂X and ∂f/∂Y to {@code sink}
     * and hands every block with its gradient to {@code check}, each where given.
     *
     * <p>With a bias b, the tasks get W with b as one more row, and sum ∂f/∂W with ∂f/∂b as its last row: the
     * exact sums, their slices and their rounding are those of a (d + 1) × k ∂f/∂W, so ∂f/∂b has the same bits for
     * any partitioning as ∂f/∂W.
     *
     * @param w d × k and finite: {@link #requireShape} checked, by the caller, before the pass began
     * @param b the bias, k values, finite, or null for none
     * @throws InputException for bad data met by the tasks; nothing has been committed then
     */
    static GradientJob.Checked run(JavaSparkContext sc, PreparedInput input, Matrix w, double[] b,
                                   Set<Output> outputs, RowSink sink, BlockCheck check,
                                   Progress.RowCounter rowCounter) {
        int d = w.rows();
        boolean bias = b != null;
        if (bias) {
            w = w.withRow(b);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("prepare", input.prepareSeconds());
        if (input.isCached()) {
            seconds.put("cache", input.cacheSeconds());
        }
        long start = System.nanoTime();
        BlockPlan plan = input.plan();
        EnumSet<Output> wanted = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
        boolean writesRows = wanted.contains(Output.DX) || wanted.contains(Output.DY);
        if (sink == null && writesRows && check == null) {
            throw new IllegalArgumentException("dX and dY need somewhere to be written");
        }
        if (sink != null && wanted.contains(Output.DX)) {
            sink.begin(Output.DX, plan.rows(), d);
        }
        if (sink != null && wanted.contains(Output.DY)) {
            sink.begin(Output.DY, plan.rows(), w.cols());
        }
        String chosen = sc.getLocalProperty(Aggregation.SETTING);
        Aggregation.Path path = Aggregation.choose(plan, w.rows(), w.cols(),
                chosen != null ? chosen : sc.sc().conf().get(Aggregation.SETTING, null));
        // The user's d, as the messages name it; b's one row more of sums is k doubles.
        MemoryPlan.requireFits(sc, plan, d, w.cols(), wanted, path, sc.isLocal());
        SharedW wShared = SharedW.of(sc, w);
        TaskResult total;
        try {
            // A sink goes to the tasks only where they write rows: it holds the Hadoop configuration, which every
            // task would otherwise deserialize for nothing.
            RowSink taskSink = writesRows ? sink : null;
            total = Aggregation.sum(path, input.blocks(),
                    pass -> new PartitionTask(wShared, bias, input.float32(), wanted, taskSink, check, plan, rowCounter,
                            pass),
                    plan, w.rows(), w.cols());
        } finally {
            wShared.destroy();
        }
        seconds.put("compute", seconds(start));
        if (total.error != null) {
            throw new InputException(total.error);
        }
        if (total.diskFull != null) {
            throw new UncheckedIOException(new IOException(total.diskFull));
        }
        double loss = total.rounded != null ? total.rounded.loss.rounded(0) : total.sum.loss();
        Matrix dW = total.rounded != null ? new Matrix(w.rows(), w.cols(), total.rounded.dW()) : total.sum.dW();
        double[] db = null;
        if (bias) {
            // Null where db was not wanted: its row of the sums then holds zeros, not ∂f/∂b.
            db = wanted.contains(Output.DB) ? dW.row(d) : null;
            dW = dW.firstRows(d);
        }
        if (!Double.isFinite(loss) || !allFinite(dW.values()) || (db != null && !allFinite(db))) {
            throw new InputException(input.describe(), 0, "the loss, dW or db overflows float64 (f = " + loss
                    + "): the values are too large");
        }
        if (total.rows != plan.rows()) {
            throw new IllegalStateException("summed " + total.rows + " rows of " + plan.rows());
        }

        long commitStart = System.nanoTime();
        for (Map.Entry<Output, SortedMap<Integer, String>> parts : total.parts.entrySet()) {
            sink.commit(parts.getKey(), parts.getValue());
        }
        seconds.put("commit", seconds(commitStart));
        if (total.blas.size() > 1) {
            LOG.warn("the executors used different BLAS implementations, {}: results are reproducible to the bit "
                    + "only where every executor uses the same one", total.blas);
        }
        return new GradientJob.Checked(new GradientResult(loss, dW, db, plan.rows(), d, w.cols(),
                plan.partitions(), plan.blockRows(), List.copyOf(total.blas), List.copyOf(total.kernel), seconds,
                List.of(seconds(start)), shuffles(input.blocks().rdd()), path.label), total.checked);
    }

    /**
     * @throws IllegalArgumentException unless {@code w} is d × k for {@code input}'s rows (the message names both
     *     shapes) and finite
     */
    static void requireShape(PreparedInput input, Matrix w, double[] b) {
        requireShape(input, w);
        if (b == null) {
            return;
        }
        if (b.length != input.k()) {
            throw new IllegalArgumentException("b has " + b.length + " values, but Y has " + input.k()
                    + " columns, so b must have " + input.k());
        }
        for (int j = 0; j < b.length; j++) {
            if (!Double.isFinite(b[j])) {
                throw new IllegalArgumentException("b holds " + b[j] + " at " + j + ": b must be finite");
            }
        }
    }

    /**
     * @throws IllegalArgumentException unless {@code w} is d × k for {@code input}'s rows (the message names both
     *     shapes) and finite
     */
    static void requireShape(PreparedInput input, Matrix w) {
        if (w == null) {
            throw new IllegalArgumentException("W is missing: give a " + input.d() + " x " + input.k() + " matrix");
        }
        if (w.rows() != input.d() || w.cols() != input.k()) {
            throw new IllegalArgumentException("W is " + w.rows() + " x " + w.cols() + ", but X has " + input.d()
                    + " columns and Y has " + input.k() + ", so W must be " + input.d() + " x " + input.k());
        }
        double[] values = w.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("W holds " + values[i] + " at row " + i / w.cols() + ", column "
                        + i % w.cols() + ": W must be finite");
            }
        }
    }

    /** Whether computing {@code rdd} takes a shuffle: a shuffle dependency anywhere in its lineage. */
    private static boolean shuffles(RDD<?> rdd) {
        for (Dependency<?> dependency : CollectionConverters.asJava(rdd.dependencies())) {
            if (dependency instanceof ShuffleDependency || shuffles(dependency.rdd())) {
                return true;
            }
        }
        return false;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
