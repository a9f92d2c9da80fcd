package org.relugrad.internal.engine;

import org.relugrad.internal.engine.numbered.NumberedChunks;

import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.relugrad.Blocking;
import org.relugrad.Matrix;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.kernel.KernelWarmUp;
import org.relugrad.internal.kernel.Output;

/**
 * The one way into the engine, for {@code grad}, {@code check}, {@code fit} and the library ({@link
 * org.relugrad.ReluLoss}) alike: prepare an input ({@link BlockSource}), keep its blocks ({@link BlockCache}), and
 * run passes over them at any W ({@link GradientPass}), each of f = ‖max(XW, 0) − Y‖²_F, ∂f/∂W and, written by the
 * tasks, ∂f/∂X and ∂f/∂Y.
 */
public final class GradientJob {
    private final JavaSparkContext sc;
    private Progress progress;

    public GradientJob(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** Has the tasks of every later pass over the rows report their progress to {@code progress}. */
    public void reportTo(Progress progress) {
        this.progress = progress;
    }

    /** The accumulator a new pass's tasks count their rows in, or null when no one follows the progress. */
    private Progress.RowCounter beginPass(String phase, long rows) {
        return progress == null ? null : progress.begin(phase, rows);
    }

    /**
     * Reads W and indexes the input (n, and where each row is: for line files, by counting lines), so the caller
     * can choose outputs knowing the size; the blocks are planned, not read.
     *
     * @throws InputException for input the user must fix
     * @throws SettingOutOfRange when a block of B rows would not fit a task
     */
    public PreparedInput prepare(RowRangeInput input, Blocking blocking) {
        return BlockSource.prepare(sc, input, blocking);
    }

    /** As {@link #prepare(RowRangeInput, Blocking)}, with {@code new Blocking(partitions, rowsPerBlock)}. */
    public PreparedInput prepare(RowRangeInput input, int partitions, int rowsPerBlock) {
        return prepare(input, new Blocking(partitions, rowsPerBlock));
    }

    /** Rows that come numbered, in any order and partitioning (a Dataset's, an RDD's); they name no W. */
    public PreparedInput prepare(NumberedChunks rows, Blocking blocking) {
        return BlockSource.prepare(sc, rows, blocking);
    }

    /**
     * Reads every block once and keeps it in the executors' memory (spilling to disk) for the passes that follow;
     * {@link #release} lets them go.
     *
     * @throws InputException for bad data met while reading; nothing is kept then
     */
    public PreparedInput cache(PreparedInput input) {
        return cache(input, EnumSet.of(Output.LOSS, Output.DW));
    }

    /**
     * As {@link #cache(PreparedInput)}, for passes that will compute {@code outputs}: while the blocks are read,
     * each executor has its kernel compiled for them ({@link KernelWarmUp}), so the first pass runs at the speed of
     * the later ones.
     */
    public PreparedInput cache(PreparedInput input, Set<Output> outputs) {
        boolean warmUp = worthWarmingUp(input);
        return BlockCache.cache(input, warmUp ? EnumSet.copyOf(outputs) : null, beginPass("reading", input.rows()));
    }

    /** Where Spark keeps the cached blocks, in memory or on disk, and the memory that would keep them all. */
    public CacheFit cacheFit(PreparedInput cached) {
        return BlockCache.fit(sc, cached);
    }

    /** Drops the blocks {@link #cache} kept. */
    public void release(PreparedInput input) {
        input.release();
    }

    /** {@link #run(PreparedInput, Matrix, Set, RowSink)} at the W the input names. */
    public GradientResult run(PreparedInput input, Set<Output> outputs, RowSink sink) {
        return run(input, namedW(input), outputs, sink);
    }

    /**
     * Computes f and ∂f/∂W at {@code w} (d × k), and writes ∂f/∂X and ∂f/∂Y to {@code sink} when {@code outputs}
     * asks for them. W is shared with the tasks for this pass only, so any number of passes at different W may follow one
     * another over the same (cached) blocks.
     *
     * @param sink where the tasks write their rows; may be null when neither dX nor dY is wanted
     * @throws IllegalArgumentException when W is not d × k, naming both shapes
     * @throws InputException for bad data met by the tasks; nothing has been committed then
     */
    public GradientResult run(PreparedInput input, Matrix w, Set<Output> outputs, RowSink sink) {
        return run(input, w, null, outputs, sink);
    }

    /**
     * As {@link #run(PreparedInput, Matrix, Set, RowSink)} for Z = X W + 1 bᵀ, where {@code b} is not null: also
     * ∂f/∂b = 1ᵀ G where {@code outputs} holds {@link Output#DB}, summed as exactly as ∂f/∂W.
     *
     * @param b the bias, k values, or null for none (every result then as without this parameter)
     * @throws IllegalArgumentException when W is not d × k or b not of k values, or either is not finite
     */
    public GradientResult run(PreparedInput input, Matrix w, double[] b, Set<Output> outputs, RowSink sink) {
        GradientPass.requireShape(input, w, b);
        warmUpLocally(input, outputs);
        return GradientPass.run(sc, input, w, b, outputs, sink, null, beginPass("computing", input.rows()))
                .gradient();
    }

    /**
     * Computes f, ∂f/∂W and, in the tasks, whatever else of {@code computed} (∂f/∂X, ∂f/∂Y), and hands every block
     * with its gradient to {@code check}; nothing is written.
     *
     * @throws InputException for bad data met by the tasks, in the input or in what the check reads
     */
    public Checked check(PreparedInput input, Set<Output> computed, BlockCheck check) {
        return check(input, null, computed, check);
    }

    /** As {@link #check(PreparedInput, Set, BlockCheck)}, with the bias {@code b} (null: none). */
    public Checked check(PreparedInput input, double[] b, Set<Output> computed, BlockCheck check) {
        Matrix w = namedW(input);
        GradientPass.requireShape(input, w, b);
        return GradientPass.run(sc, input, w, b, computed, null, check, beginPass("computing", input.rows()));
    }

    /** What {@link #check} found: the gradient pass's result and the merged parts of the check. */
    public record Checked(GradientResult gradient, BlockCheck.Part part) {
    }

    /** @throws IllegalArgumentException unless {@code w} is d × k for {@code input}'s rows, and finite */
    public static void requireShape(PreparedInput input, Matrix w) {
        GradientPass.requireShape(input, w);
    }

    /** As {@link #requireShape(PreparedInput, Matrix)}, and b of k finite values where not null. */
    public static void requireShape(PreparedInput input, Matrix w, double[] b) {
        GradientPass.requireShape(input, w, b);
    }

    /** Runs an input's indexing work (counting lines, reading footers) as Spark tasks. */
    public ParallelWork parallelWork() {
        return new SparkParallelWork(sc);
    }

    /** The Hadoop configuration the job reads files with. */
    public Configuration hadoopConfiguration() {
        return sc.hadoopConfiguration();
    }

    /**
     * In local mode, where the tasks run in this JVM, has the kernel compiled for {@code outputs} beside the pass
     * (a no-op once done, or where the cache pass did it). Executors elsewhere get it from the cache pass only: in a
     * single pass, the tasks' own blocks get the kernel compiled about as soon.
     */
    private void warmUpLocally(PreparedInput input, Set<Output> outputs) {
        if (sc.sc().isLocal() && worthWarmingUp(input)) {
            KernelWarmUp.start(input.d(), input.k(), outputs, input.float32());
        }
    }

    private static boolean worthWarmingUp(PreparedInput input) {
        return KernelWarmUp.worthWarmingUp((double) input.rows() * input.d() * input.k());
    }

    private static Matrix namedW(PreparedInput input) {
        if (input.w() == null) {
            throw new IllegalArgumentException(input.describe() + " names no W: give one to each run");
        }
        return input.w();
    }
}
