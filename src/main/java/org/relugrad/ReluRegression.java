package org.relugrad;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.relugrad.internal.fit.FitResult;
import org.relugrad.internal.fit.FitSettings;
import org.relugrad.internal.fit.InitialW;
import org.relugrad.internal.fit.LbfgsTraining;
import org.relugrad.internal.fit.LossFunction;
import org.relugrad.internal.fit.WithBias;

/**
 * A ReLU layer fitted by L-BFGS as a Spark ML {@code Estimator}: W and the bias b minimize
 * ‖max(XW + 1bᵀ, 0) − Y‖²_F + regParam·‖W‖²_F over the rows of a Dataset, X from the features column (a
 * {@code Vector}, d wide), Y from the label column (a {@code Vector}, k wide, or a number: k = 1). As Spark ML's
 * LinearRegression, it fits the bias (the intercept) unless {@code fitIntercept} is false, and does not weigh it in
 * the regularization; without it, b = 0. The loss and its gradient are {@link ReluLoss}'s (exact sums, the
 * same bits for any partitioning); the optimizer is {@code relugrad fit}'s. The loss is the plain sum over rows,
 * not the mean Spark's LinearRegression minimizes, so regParam weighs against n rows. W0 is uniform in
 * [−1/√d, 1/√d) from the seed ({@link InitialW#random}).
 *
 * <p>The Dataset's rows are read twice (counted, then cached as blocks), so their order must be the same each time
 * Spark computes them; cache or checkpoint a Dataset whose order is not.
 */
public final class ReluRegression extends Estimator<ReluRegressionModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final DoubleParam regParam;
    private final LongParam seed;
    private final BooleanParam fitIntercept;

    public ReluRegression() {
        this(Identifiable$.MODULE$.randomUID("reluRegression"));
    }

    public ReluRegression(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(uid, "featuresCol", "features column name: X's rows, Vectors");
        labelCol = new Param<>(uid, "labelCol", "label column name: Y's rows, Vectors or numbers");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column name: max(xW + b, 0)");
        maxIter = new IntParam(uid, "maxIter", "maximum number of iterations (>= 0)", ParamValidators.gtEq(0));
        tol = new DoubleParam(uid, "tol", "the convergence tolerance of iterative algorithms (>= 0); 0: exactly "
                + "maxIter iterations", ParamValidators.gtEq(0));
        regParam = new DoubleParam(uid, "regParam", "regularization parameter (>= 0): the objective's "
                + "regParam * ||W||_F^2", ParamValidators.gtEq(0));
        seed = new LongParam(uid, "seed", "random seed of W0");
        fitIntercept = new BooleanParam(uid, "fitIntercept", "whether to fit an intercept term: the bias b, "
                + "max(xW + b, 0)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(maxIter, 100);
        setDefault(tol, 1e-9);
        setDefault(regParam, 0.0);
        setDefault(seed, 0L);
        setDefault(fitIntercept, true);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam tol() {
        return tol;
    }

    public DoubleParam regParam() {
        return regParam;
    }

    public LongParam seed() {
        return seed;
    }

    public BooleanParam fitIntercept() {
        return fitIntercept;
    }

    /** Whether to fit the bias b (default true, as Spark ML's LinearRegression); b0 = 0. */
    public ReluRegression setFitIntercept(boolean value) {
        set(fitIntercept, value);
        return this;
    }

    public ReluRegression setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public ReluRegression setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public ReluRegression setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public ReluRegression setMaxIter(int value) {
        set(maxIter, value);
        return this;
    }

    public ReluRegression setTol(double value) {
        set(tol, value);
        return this;
    }

    public ReluRegression setRegParam(double value) {
        set(regParam, value);
        return this;
    }

    public ReluRegression setSeed(long value) {
        set(seed, value);
        return this;
    }

    /**
     * Trains W over the Dataset's rows.
     *
     * @throws org.relugrad.internal.io.InputException for a missing or mistyped column or a bad row (null, NaN, ragged)
     */
    @Override
    public ReluRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String label = getOrDefault(labelCol);
        boolean numberLabel = dataset.schema().apply(label).dataType() instanceof NumericType;
        Dataset<Row> rows = dataset.toDF();
        String y = label;
        if (numberLabel) {
            // ReluLoss reads Y as vectors: a number is a row of one.
            y = "_relugrad_label";
            rows = rows.withColumn(y, functions.array(functions.col(label).cast("double")));
        }
        try (ReluLoss loss = ReluLoss.of(rows, getOrDefault(featuresCol), y, null, Blocking.DEFAULT)) {
            FitSettings settings = new FitSettings((Integer) getOrDefault(maxIter), (Double) getOrDefault(tol),
                    (Double) getOrDefault(regParam));
            boolean bias = (Boolean) getOrDefault(fitIntercept);
            LbfgsTraining.requireFits(settings, loss.d() + (bias ? 1 : 0), loss.k());
            loss.cache();
            Matrix w0 = InitialW.random(loss.d(), loss.k(), (Long) getOrDefault(seed));
            LossFunction f = bias ? WithBias.loss(loss::lossAndGradient) : loss::lossAndGradient;
            FitResult result = new LbfgsTraining(settings, bias).run(f,
                    bias ? WithBias.join(w0, new double[loss.k()]) : w0, state -> { });
            Matrix w = bias ? WithBias.w(result.w()) : result.w();
            double[] b = bias ? WithBias.b(result.w()) : new double[loss.k()];
            ReluRegressionModel model = new ReluRegressionModel(uid, w, b, numberLabel);
            copyValues(model, ParamMap.empty());
            model.setParent(this);
            return model;
        }
    }

    /** Checks the columns: features a Vector, label a Vector or a number; adds the prediction column. */
    @Override
    public StructType transformSchema(StructType schema) {
        String label = getOrDefault(labelCol);
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(label)) {
            throw new IllegalArgumentException("no label column '" + label + "' in " + schema.simpleString());
        }
        DataType type = schema.apply(label).dataType();
        boolean number = type instanceof NumericType;
        if (!number && !type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("the label column '" + label + "' must be a Vector or a number, "
                    + "but is " + type.simpleString());
        }
        return ReluRegressionModel.withPrediction(schema, getOrDefault(featuresCol), getOrDefault(predictionCol),
                number);
    }

    @Override
    public ReluRegression copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<ReluRegression> read() {
        return new DefaultParamsReader<>();
    }

    public static ReluRegression load(String path) {
        return read().load(path);
    }
}
