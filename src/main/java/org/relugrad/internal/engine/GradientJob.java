package org.relugrad.internal.engine;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Dependency;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.storage.StorageLevel;
import org.relugrad.internal.io.DiscardedRows;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRowsInput;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.RowSink;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The gradient of f = ‖max(XW, 0) − Y‖²_F over all rows, on Spark: W is broadcast, each partition runs the block
 * kernel over its blocks and writes its own rows of ∂f/∂X and ∂f/∂Y, and one tree aggregation brings the exact
 * partial sums of f and ∂f/∂W to the driver. With {@link NumberedBlocks}, which brings rows stored out of order to
 * their blocks, the only place that runs Spark jobs.
 */
public final class GradientJob {
    /** A block size of 0 asks for one chosen from d and k (see {@link BlockPlan#defaultBlockRows}). */
    public static final int CHOSEN_BLOCK_ROWS = 0;
    /** Up to this many partitions, the driver merges the tasks' results itself (see {@link #aggregate}). */
    static final int DRIVER_MERGE_PARTITIONS = 64;
    /** At most this many partitions (part files are numbered with five digits). */
    public static final int MAX_PARTITIONS = 100_000;
    /** At most this many values of X, Y or Z in one block (1 GiB of doubles): blocks must fit a task's memory. */
    static final long MAX_BLOCK_VALUES = 1L << 27;
    private static final Logger LOG = LogManager.getLogger(GradientJob.class);

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
     * Reads W and indexes the input (n, and where each row is: for line files, by counting lines), so the caller can choose outputs knowing the size.
     *
     * @param partitions how many partitions compute the blocks; 0 for Spark's default parallelism
     * @param rowsPerBlock rows per block, B, or {@link #CHOSEN_BLOCK_ROWS} for one chosen from d and k; part of
     *     what makes results reproducible (see {@link BlockPlan})
     * @throws InputException for input the user must fix
     */
    public PreparedInput prepare(RowRangeInput input, int partitions, int rowsPerBlock) {
        checkSettings(partitions, rowsPerBlock);
        long start = System.nanoTime();
        int p = partitions > 0 ? partitions : sc.defaultParallelism();
        Matrix w = input.open(sc.hadoopConfiguration());
        int blockRows = rowsPerBlock != CHOSEN_BLOCK_ROWS ? rowsPerBlock : BlockPlan.defaultBlockRows(w.rows(), w.cols());
        requireBlockFits(blockRows, w.rows(), w.cols());
        input.index(parallelWork());
        BlockPlan plan = new BlockPlan(input.rows(), blockRows, p);
        JavaRDD<RowBlock> blocks;
        JavaRDD<RowBlock> distinctBlocks;
        if (input instanceof NumberedRowsInput numbered && !numbered.inStoredOrder()) {
            blocks = NumberedBlocks.of(NumberedBlocks.stored(sc, numbered), numbered::misnumbered, plan, w.rows(),
                    w.cols());
            distinctBlocks = blocks;
        } else {
            blocks = rangeBlocks(input, plan, true);
            distinctBlocks = rangeBlocks(input, plan, false);
        }
        LOG.info("{} rows, d = {}, k = {}: {} blocks of {} rows in {} partitions",
                plan.rows(), w.rows(), w.cols(), plan.blocks(), blockRows, p);
        return new PreparedInput(w, w.rows(), w.cols(), plan, blocks, distinctBlocks, elapsed(start),
                input.describe());
    }

    /**
     * Plans the blocks of rows that come numbered, in any order and any partitioning (a Dataset's rows, an RDD's):
     * one shuffle brings each block's rows together, so the blocks, and every result, are the same bits however
     * the rows were partitioned. The input names no W.
     *
     * @param partitions how many partitions compute the blocks; 0 for Spark's default parallelism
     * @param rowsPerBlock B, or {@link #CHOSEN_BLOCK_ROWS}
     */
    public PreparedInput prepare(NumberedChunks rows, int partitions, int rowsPerBlock) {
        checkSettings(partitions, rowsPerBlock);
        long start = System.nanoTime();
        int p = partitions > 0 ? partitions : sc.defaultParallelism();
        int blockRows = rowsPerBlock != CHOSEN_BLOCK_ROWS ? rowsPerBlock : BlockPlan.defaultBlockRows(rows.d(), rows.k());
        requireBlockFits(blockRows, rows.d(), rows.k());
        BlockPlan plan = new BlockPlan(rows.rows(), blockRows, p);
        JavaRDD<RowBlock> blocks = NumberedBlocks.of(rows.chunks(), rows.misnumbered(), plan, rows.d(), rows.k());
        return new PreparedInput(null, rows.d(), rows.k(), plan, blocks, blocks, elapsed(start), rows.describe());
    }

    /**
     * Reads or generates every block once and keeps it, as the primitive arrays it is made of, in the executors'
     * memory (spilling to their disks where memory runs short), so that the gradient can be computed many times over
     * the same rows, as in a training loop, without reading them again. {@link #release} lets them go.
     *
     * @throws InputException for bad data met while reading; nothing is kept then
     */
    public PreparedInput cache(PreparedInput input) {
        long start = System.nanoTime();
        Progress.RowCounter rowsRead = beginPass("reading", input.rows());
        JavaRDD<KeptBlock> kept = input.distinctBlocks().mapPartitions(blocks -> KeptBlock.keep(blocks, rowsRead))
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<InputError> errors = kept.filter(b -> b.error() != null).map(KeptBlock::error).collect();
        if (!errors.isEmpty()) {
            kept.unpersist(true);
            throw new InputException(errors.stream().min(InputError::compareTo).orElseThrow());
        }
        return input.cached(kept.map(KeptBlock::block), kept, elapsed(start));
    }

    /**
     * Where Spark keeps the blocks {@link #cache} read: in memory or, where memory ran short, on disk, which every
     * pass then reads again; and the memory that would keep them all.
     */
    public CacheFit cacheFit(PreparedInput cached) {
        if (!cached.isCached()) {
            throw new IllegalArgumentException("the blocks are not cached");
        }
        return CacheStorage.fit(sc.sc(), cached.kept().id());
    }

    /** Drops the blocks {@link #cache} kept. */
    public void release(PreparedInput input) {
        input.release();
    }

    /**
     * Computes the gradient {@code times} times over the same input (cached, see {@link #cache}): the inner step of
     * a training loop. Every run computes all of {@code outputs}; the runs before the last write no rows, the last
     * writes to {@code sink}. Returns the last run's result, with the wall time of every run.
     *
     * @throws InputException for bad data met by the tasks; nothing has been committed then
     */
    public GradientResult repeat(PreparedInput input, Set<Output> outputs, RowSink sink, int times) {
        checkRepeat(times);
        List<Double> iterations = new java.util.ArrayList<>();
        GradientResult last = null;
        try {
            for (int i = 0; i < times; i++) {
                if (progress != null) {
                    progress.iteration(i + 1, times);
                }
                last = run(input, outputs, i == times - 1 ? sink : new DiscardedRows());
                iterations.addAll(last.iterationSeconds());
            }
        } finally {
            if (progress != null) {
                progress.iteration(0, 0);
            }
        }
        return last.withIterationSeconds(iterations);
    }

    /**
     * Computes f and ∂f/∂W, and writes ∂f/∂X and ∂f/∂Y to {@code sink} when {@code outputs} asks for them.
     *
     * @param sink where the tasks write their rows; may be null when neither dX nor dY is wanted
     * @throws InputException for bad data met by the tasks; nothing has been committed then
     */
    public GradientResult run(PreparedInput input, Set<Output> outputs, RowSink sink) {
        return run(input, namedW(input), outputs, sink);
    }

    /**
     * As {@link #run(PreparedInput, Set, RowSink)}, at {@code w} (d × k): W is broadcast for this run only and
     * destroyed after it, so any number of runs at different W may follow one another over the same (cached) blocks.
     *
     * @throws IllegalArgumentException when W is not d × k, naming both shapes
     */
    public GradientResult run(PreparedInput input, Matrix w, Set<Output> outputs, RowSink sink) {
        if (sink == null && (outputs.contains(Output.DX) || outputs.contains(Output.DY))) {
            throw new IllegalArgumentException("dX and dY need somewhere to be written");
        }
        return pass(input, w, outputs, sink, null).gradient();
    }

    /**
     * @throws IllegalArgumentException unless {@code w} is d × k for {@code input}'s rows (the message names both
     *     shapes) and finite
     */
    public static void requireShape(PreparedInput input, Matrix w) {
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

    private static Matrix namedW(PreparedInput input) {
        if (input.w() == null) {
            throw new IllegalArgumentException(input.describe() + " names no W: give one to each run");
        }
        return input.w();
    }

    /**
     * Computes f, ∂f/∂W and, in the tasks, whatever else of {@code computed} (∂f/∂X, ∂f/∂Y), and hands every block
     * with its gradient to {@code check}; nothing is written.
     *
     * @throws InputException for bad data met by the tasks, in the input or in what the check reads
     */
    public Checked check(PreparedInput input, Set<Output> computed, BlockCheck check) {
        return pass(input, namedW(input), computed, null, check);
    }

    /** What {@link #check} found: the gradient pass's result and the merged parts of the check. */
    public record Checked(GradientResult gradient, BlockCheck.Part part) {
    }

    private Checked pass(PreparedInput input, Matrix w, Set<Output> outputs, RowSink sink, BlockCheck check) {
        requireShape(input, w);
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("prepare", input.prepareSeconds());
        if (input.isCached()) {
            seconds.put("cache", input.cacheSeconds());
        }
        long start = System.nanoTime();
        BlockPlan plan = input.plan();
        EnumSet<Output> wanted = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
        if (sink != null && wanted.contains(Output.DX)) {
            sink.begin(Output.DX, plan.rows(), w.rows());
        }
        if (sink != null && wanted.contains(Output.DY)) {
            sink.begin(Output.DY, plan.rows(), w.cols());
        }
        Broadcast<Matrix> wShared = sc.broadcast(w);
        TaskResult total;
        try {
            // A sink goes to the tasks only where they write rows: it holds the Hadoop configuration, which every
            // task would otherwise deserialize for nothing.
            RowSink rowSink = wanted.contains(Output.DX) || wanted.contains(Output.DY) ? sink : null;
            total = aggregate(input.blocks(), new PartitionTask(wShared, wanted, rowSink, check, plan,
                    beginPass("computing", plan.rows())), plan.partitions());
        } finally {
            // Blocking (Spark's destroy() is not): a removal still under way when the context stops makes Spark's
            // storage endpoint print a stack trace on stderr. Scala's private[spark] is public to Java.
            wShared.destroy(true);
        }
        seconds.put("compute", elapsed(start));
        if (total.error != null) {
            throw new InputException(total.error);
        }
        if (total.diskFull != null) {
            throw new UncheckedIOException(new IOException(total.diskFull));
        }
        double loss = total.sum.loss();
        Matrix dW = total.sum.dW();
        if (!Double.isFinite(loss) || !allFinite(dW.values())) {
            throw new InputException(input.describe(), 0, "the loss or dW overflows float64 (f = " + loss
                    + "): the values are too large");
        }
        if (total.sum.rows() != plan.rows()) {
            throw new IllegalStateException("summed " + total.sum.rows() + " rows of " + plan.rows());
        }

        long commitStart = System.nanoTime();
        for (Map.Entry<Output, SortedMap<Integer, String>> parts : total.parts.entrySet()) {
            sink.commit(parts.getKey(), parts.getValue());
        }
        seconds.put("commit", elapsed(commitStart));
        if (total.blas.size() > 1) {
            LOG.warn("the executors used different BLAS implementations, {}: results are reproducible to the bit "
                    + "only where every executor uses the same one", total.blas);
        }
        return new Checked(new GradientResult(loss, dW, plan.rows(), w.rows(), w.cols(), plan.partitions(),
                plan.blockRows(), List.copyOf(total.blas), List.copyOf(total.kernel), seconds, List.of(elapsed(start)),
                shuffles(input.blocks().rdd())), total.checked);
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
     * Checks the partition count (0: Spark's default) and the block size ({@link #CHOSEN_BLOCK_ROWS}: chosen from
     * d and k) before anything starts, so a command can refuse them before it starts Spark.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    public static void checkSettings(int partitions, int blockRows) {
        if (partitions < 0 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "--partitions must be from 1 to " + MAX_PARTITIONS + ", was " + partitions);
        }
        if (blockRows < 0) {
            throw new IllegalArgumentException("--block-rows must be >= 1, was " + blockRows);
        }
    }

    /** @throws IllegalArgumentException unless the gradient is to be computed at least once */
    public static void checkRepeat(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, was " + times);
        }
    }

    /** A block's arrays must be indexable by int and fit a task's memory; say so before any work starts. */
    private static void requireBlockFits(int blockRows, int d, int k) {
        long values = (long) blockRows * Math.max(d, k);
        if (values > MAX_BLOCK_VALUES) {
            throw new IllegalArgumentException("--block-rows " + blockRows + " is too large for d = " + d
                    + ", k = " + k + ": a block would hold " + values + " values of one matrix (at most "
                    + MAX_BLOCK_VALUES + "); use --block-rows " + Math.max(1, MAX_BLOCK_VALUES / Math.max(d, k)) + " or less");
        }
    }

    /**
     * The blocks of a row-range input, read by the partitions that own them.
     *
     * @param reuseArrays whether each block may be read into the arrays of the one before: only for a consumer
     *     that is done with a block when it asks for the next, never for a cache
     */
    private JavaRDD<RowBlock> rangeBlocks(RowRangeInput input, BlockPlan plan, boolean reuseArrays) {
        List<Integer> partitionIds = IntStream.range(0, plan.partitions()).boxed().toList();
        return sc.parallelize(partitionIds, plan.partitions()).mapPartitions(ids -> {
            int p = ids.next();
            return new BlockRange(input, plan, plan.firstBlock(p), plan.firstBlock(p + 1), reuseArrays);
        });
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

    /**
     * Runs {@code task} on every partition and sums the results exactly. Up to {@value #DRIVER_MERGE_PARTITIONS}
     * partitions, one job whose results the driver merges (the cheapest job Spark runs, which matters when the
     * gradient is computed many times); beyond that, a tree aggregation, so the driver merges few partials at once.
     */
    private static TaskResult aggregate(JavaRDD<RowBlock> blocks, PartitionTask task, int partitions) {
        if (partitions > DRIVER_MERGE_PARTITIONS) {
            return blocks.mapPartitions(task).treeReduce(TaskResult::merge, partitions <= 256 ? 2 : 3);
        }
        TaskResult[] results = (TaskResult[]) blocks.context().runJob(blocks.rdd(), task,
                scala.reflect.ClassTag$.MODULE$.apply(TaskResult.class));
        TaskResult total = results[0];
        for (int p = 1; p < results.length; p++) {
            total.merge(results[p]);
        }
        return total;
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Reads blocks [from, to) of a row-range input one at a time, through one {@link RowRangeInput.RangeReader}. */
    private static final class BlockRange implements java.util.Iterator<RowBlock> {
        private final BlockPlan plan;
        private final long to;
        private final boolean reuseArrays;
        private final RowRangeInput.RangeReader reader;
        private long next;
        private RowBlock previous;

        BlockRange(RowRangeInput input, BlockPlan plan, long from, long to, boolean reuseArrays) {
            this.plan = plan;
            this.next = from;
            this.to = to;
            this.reuseArrays = reuseArrays;
            this.reader = input.reader(plan.firstRow(from), Math.min(plan.rows(), plan.firstRow(to)));
            org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) done -> reader.close());
            }
        }

        @Override
        public boolean hasNext() {
            return next < to;
        }

        @Override
        public RowBlock next() {
            long block = next++;
            RowBlock read = reader.next(plan.rowsIn(block), reuseArrays ? previous : null);
            previous = read;
            if (next == to) {
                reader.close();
            }
            return read;
        }
    }
}
