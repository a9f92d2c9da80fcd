package org.relugrad;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.engine.numbered.DatasetRows;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.engine.numbered.PairRows;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.engine.RowGradients;
import org.relugrad.internal.kernel.Output;
import scala.Tuple2;

/**
 * The loss of a ReLU layer's squared error over rows of X (n × d) and Y (n × k) held by Spark, as a function of W
 * (d × k) and, for a layer with a bias as {@code torch.nn.Linear} has, of b (k values): an optimizer's objective.
 *
 * <pre>
 *   f(W, b) = ‖max(XW + 1bᵀ, 0) − Y‖²_F,   ∂f/∂W = Xᵀ G,   ∂f/∂b = 1ᵀ G,   ∂f/∂X = G Wᵀ,   ∂f/∂Y = −2R
 *   where R = max(XW + 1bᵀ, 0) − Y and G = 2R ⊙ 1[XW + 1bᵀ &gt; 0]   (ReLU'(0) = 0, as torch.nn.ReLU)
 * </pre>
 *
 * The methods without b are those of a layer without a bias (b = 0, and no ∂f/∂b computed).
 *
 * <p>Rows come from one of relugrad's file inputs (any {@link RowRangeInput}: .npy, CSV, Parquet, synthetic), a
 * {@code Dataset<Row>} with X and Y in two columns of {@code array<double>} or Spark ML {@code Vector}, or a
 * {@code JavaRDD} of (x, y) row pairs. They are cut into blocks of B consecutive rows (block b is rows
 * [b·B, (b+1)·B), whatever the partitioning), each block's share is computed by the block kernel, and the shares are
 * summed exactly and rounded once: every result is the same bits for any partitioning of the input and any number
 * of executors, and the same bits {@code relugrad grad} computes for the same rows, W and B.
 *
 * <p>Each call of {@link #lossAndGradient} is one Spark job over the blocks, with W broadcast for that call only;
 * {@link #cache} keeps the blocks in the executors' memory first (spilling to disk), so that a training loop reads
 * the input once. {@link #close} (or {@link #unpersist}) lets them go.
 *
 * <p>Errors a user can fix are exceptions with a plain one-line message: {@link InputException} for bad input (the
 * file or "Dataset", and the line or row), {@link IllegalArgumentException} for a W of the wrong shape (naming both
 * shapes) and settings out of range.
 */
public final class ReluLoss implements AutoCloseable {
    private static final Set<Output> LOSS_AND_DW = EnumSet.of(Output.LOSS, Output.DW);
    private static final Set<Output> LOSS_DW_AND_DB = EnumSet.of(Output.LOSS, Output.DW, Output.DB);

    private final SparkSession spark;
    private final GradientJob job;
    private final PreparedInput prepared;
    private PreparedInput cached;

    private ReluLoss(SparkSession spark, GradientJob job, PreparedInput prepared) {
        this.spark = spark;
        this.job = job;
        this.prepared = prepared;
    }

    /** The rows of one of relugrad's inputs (its W is {@link #inputW}), cut as {@link Blocking#DEFAULT}. */
    public static ReluLoss of(SparkSession spark, RowRangeInput input) {
        return of(spark, input, Blocking.DEFAULT);
    }

    /**
     * The rows of one of relugrad's inputs: its W is read and the input indexed (n counted) now; the rows are read
     * by each call, or once by {@link #cache}.
     *
     * @throws InputException for input the user must fix (missing files, shapes that disagree, ...)
     */
    public static ReluLoss of(SparkSession spark, RowRangeInput input, Blocking blocking) {
        GradientJob job = job(spark);
        return new ReluLoss(spark, job, job.prepare(input, blocking));
    }

    /** A Dataset's rows in its own order, cut as {@link Blocking#DEFAULT}; see the next method. */
    public static ReluLoss of(Dataset<Row> rows, String xColumn, String yColumn) {
        return of(rows, xColumn, yColumn, null, Blocking.DEFAULT);
    }

    /**
     * A Dataset's rows, on its own SparkSession: row i of X is column {@code xColumn} of row i, of Y column
     * {@code yColumn}, each {@code array<double>} or a Spark ML {@code Vector}, as wide in every row as in the first,
     * or {@code double}, one value a row.
     * Row i is the row whose {@code rowColumn} (an integer column holding 0 … n−1, each once) is i, or, with
     * {@code rowColumn} null, the i-th row in the Dataset's own order (which must then be the same every time Spark
     * computes the Dataset; give a row column where it is not, as after a shuffle). However the Dataset is
     * partitioned, one shuffle brings each block's rows together, so results are the same bits. Counts n now.
     *
     * @throws InputException for a missing or mistyped column, or no rows; a bad row (null, NaN, a wrong width,
     *     a row number outside 0 … n−1 or twice) when the rows are read: by {@link #cache} or the first call
     */
    public static ReluLoss of(Dataset<Row> rows, String xColumn, String yColumn, String rowColumn,
                              Blocking blocking) {
        SparkSession spark = rows.sparkSession();
        GradientJob job = job(spark);
        return new ReluLoss(spark, job, job.prepare(DatasetRows.of(rows, xColumn, yColumn, rowColumn), blocking));
    }

    /** An RDD's rows, cut as {@link Blocking#DEFAULT}; see the next method. */
    public static ReluLoss of(SparkSession spark, JavaRDD<Tuple2<double[], double[]>> rows) {
        return of(spark, rows, Blocking.DEFAULT);
    }

    /**
     * An RDD's rows: element i (in the RDD's order, partition after partition) is (row i of X, row i of Y), every
     * x as long as the first (d), every y too (k). The order must be the same every time Spark computes the RDD.
     * Counts n now.
     *
     * @throws InputException for an RDD with no rows; a bad row when the rows are read
     */
    public static ReluLoss of(SparkSession spark, JavaRDD<Tuple2<double[], double[]>> rows, Blocking blocking) {
        GradientJob job = job(spark);
        return new ReluLoss(spark, job, job.prepare(PairRows.of(rows), blocking));
    }

    private static GradientJob job(SparkSession spark) {
        return new GradientJob(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    }

    /** n, the rows of X and Y. */
    public long rows() {
        return prepared.rows();
    }

    /** d, the columns of X: W's rows. */
    public int d() {
        return prepared.d();
    }

    /** k, the columns of Y: W's columns. */
    public int k() {
        return prepared.k();
    }

    /** B, the rows per block (part of the results' bits). */
    public int blockRows() {
        return prepared.blockRows();
    }

    /** The partitions that compute the blocks. */
    public int partitions() {
        return prepared.partitions();
    }

    /** The W a file input names (its W file); empty for a Dataset's or RDD's rows. */
    public Optional<Matrix> inputW() {
        return Optional.ofNullable(prepared.w());
    }

    /** Where the rows come from, in a few words. */
    public String describe() {
        return prepared.describe();
    }

    /**
     * Reads every block once and keeps it in the executors' memory (spilling to disk where memory runs short), so
     * that the calls that follow do not read the input again; a bad row anywhere is found here. Does nothing when
     * the blocks are kept already.
     *
     * @return this
     * @throws InputException for bad rows; nothing is kept then
     */
    public ReluLoss cache() {
        if (cached == null) {
            cached = job.cache(prepared);
        }
        return this;
    }

    /** Whether {@link #cache} keeps the blocks. */
    public boolean isCached() {
        return cached != null;
    }

    /** Lets Spark drop the blocks {@link #cache} kept (waiting until they are dropped); the calls that follow read the input again. */
    public void unpersist() {
        if (cached != null) {
            job.release(cached);
            cached = null;
        }
    }

    /** {@link #unpersist}. */
    @Override
    public void close() {
        unpersist();
    }

    /**
     * f and ∂f/∂W at {@code w}: one Spark job over the (cached) blocks. Call it as often as wanted, with any W.
     *
     * @param w d × k
     * @throws IllegalArgumentException when W is not d × k, naming both shapes
     * @throws InputException for bad rows met (unless cached), or f or ∂f/∂W overflowing float64
     */
    public LossAndGradient lossAndGradient(Matrix w) {
        GradientResult result = run(w, LOSS_AND_DW, null);
        return new LossAndGradient(result.loss(), result.dW());
    }

    /**
     * f, ∂f/∂W and ∂f/∂b at {@code w} and the bias {@code b}: one Spark job over the (cached) blocks. ∂f/∂b is
     * summed as exactly as ∂f/∂W, the same bits for any partitioning.
     *
     * @param w d × k
     * @param b k values, or null for a layer without a bias (then as {@link #lossAndGradient(Matrix)})
     * @throws IllegalArgumentException when W is not d × k or b not k values, naming the shapes, or either is not
     *     finite
     * @throws InputException for bad rows met (unless cached), or f or a gradient overflowing float64
     */
    public LossAndGradient lossAndGradient(Matrix w, double[] b) {
        GradientResult result = job.run(blocks(), w, b, b == null ? LOSS_AND_DW : LOSS_DW_AND_DB, null);
        return new LossAndGradient(result.loss(), result.dW(), result.db());
    }

    /** f alone at {@code w} and the bias {@code b} (null: none), the same bits as {@link #lossAndGradient}'s. */
    public double loss(Matrix w, double[] b) {
        return job.run(blocks(), w, b, EnumSet.of(Output.LOSS), null).loss();
    }

    /** f alone at {@code w}, the same bits as {@link #lossAndGradient}'s (the kernel skips Xᵀ G); see there. */
    public double loss(Matrix w) {
        return run(w, EnumSet.of(Output.LOSS), null).loss();
    }

    /**
     * What {@code relugrad grad} computes at {@code w}: f, and whatever of ∂f/∂W, ∂f/∂X, ∂f/∂Y {@code outputs} names,
     * the rows of ∂f/∂X and ∂f/∂Y written by the tasks to {@code sink} (such as a {@link org.relugrad.internal.io.out.OutputFolder}),
     * with how the work went (partitions, BLAS, kernel path, seconds).
     *
     * @param sink where the tasks write rows; may be null when {@code outputs} names neither dX nor dY
     * @throws IllegalArgumentException when W is not d × k, naming both shapes
     */
    public GradientResult run(Matrix w, Set<Output> outputs, RowSink sink) {
        return job.run(blocks(), w, outputs, sink);
    }

    /**
     * ∂f/∂X and ∂f/∂Y at {@code w}, one row per input row: columns {@code row} (bigint, 0 … n−1), {@code dX}
     * ({@code array<double>}, d values) and {@code dY} ({@code array<double>}, k values), the same bits
     * {@code relugrad grad} writes. Lazy: nothing is computed, and nothing collected, until the program uses the
     * Dataset (writes it, joins it, ...); each use computes it again from the (cached) blocks. A bad row not found
     * by {@link #cache} fails the Spark job that meets it, with an {@link InputException} as the cause.
     *
     * @throws IllegalArgumentException when W is not d × k, naming both shapes
     */
    public Dataset<Row> rowGradients(Matrix w) {
        return RowGradients.of(spark, blocks(), w, null);
    }

    /** As {@link #rowGradients(Matrix)}, for the layer with the bias {@code b} (k values; null: none). */
    public Dataset<Row> rowGradients(Matrix w, double[] b) {
        return RowGradients.of(spark, blocks(), w, b);
    }

    private PreparedInput blocks() {
        return cached != null ? cached : prepared;
    }
}
