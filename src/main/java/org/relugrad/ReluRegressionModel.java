package org.relugrad;

import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A fitted ReLU layer, W (d × k) and the bias b (k values; zeros where none was fitted), as a Spark ML
 * {@code Transformer}: adds the prediction max(xW + b, 0) of each row's features x, a Vector of k values, or a number where the model was fitted on a numeric label (k = 1), as Spark's
 * {@code RegressionEvaluator} reads it. {@code write().save(path)} keeps the params, W and b (as Parquet under
 * path/data); {@link #load} reads them back.
 */
public final class ReluRegressionModel extends Model<ReluRegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Matrix w;
    private final double[] b;
    private final boolean numberPrediction;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;

    ReluRegressionModel(String uid, Matrix w, double[] b, boolean numberPrediction) {
        this.uid = uid;
        this.w = w;
        this.b = b;
        this.numberPrediction = numberPrediction;
        featuresCol = new Param<>(uid, "featuresCol", "features column name: X's rows, Vectors");
        labelCol = new Param<>(uid, "labelCol", "label column name: Y's rows, Vectors or numbers");
        predictionCol = new Param<>(uid, "predictionCol", "prediction column name: max(xW + b, 0)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** W, d × k (a copy). */
    public Matrix weights() {
        return new Matrix(w.rows(), w.cols(), w.values().clone());
    }

    /** b, k values: the intercept (a copy; zeros where the model was fitted without one). */
    public double[] intercept() {
        return b.clone();
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

    public ReluRegressionModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public ReluRegressionModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /** The rows with a prediction column, max(xW + b, 0) for each row's features x (computed as Spark uses the rows). */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        int d = w.rows();
        int k = w.cols();
        double[] weights = w.values().clone();
        double[] bias = b.clone();
        boolean number = numberPrediction;
        UDF1<Vector, Object> predict = x -> {
            if (x.size() != d) {
                throw new IllegalArgumentException("a features vector has " + x.size() + " values; the model's W has "
                        + d + " rows");
            }
            double[] out = new double[k];
            for (int j = 0; j < k; j++) {
                double z = 0.0;
                for (int l = 0; l < d; l++) {
                    z += x.apply(l) * weights[l * k + j];
                }
                z += bias[j];
                out[j] = Math.max(z, 0.0);
            }
            return number ? (Object) out[0] : Vectors.dense(out);
        };
        UserDefinedFunction udf = functions.udf(predict, number ? DataTypes.DoubleType : SQLDataTypes.VectorType());
        return dataset.withColumn(getOrDefault(predictionCol), udf.apply(functions.col(getOrDefault(featuresCol))));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return withPrediction(schema, getOrDefault(featuresCol), getOrDefault(predictionCol), numberPrediction);
    }

    /** {@code schema} checked to have Vector features, with the prediction column added. */
    static StructType withPrediction(StructType schema, String features, String prediction, boolean number) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(features)) {
            throw new IllegalArgumentException("no features column '" + features + "' in " + schema.simpleString());
        }
        DataType type = schema.apply(features).dataType();
        if (!type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("the features column '" + features + "' must be a Vector, but is "
                    + type.simpleString());
        }
        if (java.util.Arrays.asList(schema.fieldNames()).contains(prediction)) {
            throw new IllegalArgumentException("the prediction column '" + prediction + "' exists already");
        }
        return schema.add(new StructField(prediction, number ? DataTypes.DoubleType : SQLDataTypes.VectorType(),
                false, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public ReluRegressionModel copy(ParamMap extra) {
        ReluRegressionModel copy = new ReluRegressionModel(uid, weights(), intercept(), numberPrediction);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    private static final StructType DATA = new StructType()
            .add("d", DataTypes.IntegerType, false)
            .add("k", DataTypes.IntegerType, false)
            .add("w", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("b", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("numberPrediction", DataTypes.BooleanType, false);

    @Override
    public MLWriter write() {
        ReluRegressionModel model = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(model, path, sparkSession());
                List<Double> values = java.util.Arrays.stream(w.values()).boxed().toList();
                Row row = RowFactory.create(w.rows(), w.cols(), values.toArray(),
                        java.util.Arrays.stream(b).boxed().toArray(), numberPrediction);
                sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write()
                        .parquet(new org.apache.hadoop.fs.Path(path, "data").toString());
            }
        };
    }

    /** Reads a model {@code write().save(path)} wrote. */
    public static MLReader<ReluRegressionModel> read() {
        return new MLReader<>() {
            @Override
            public ReluRegressionModel load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                        ReluRegressionModel.class.getName());
                Row data = sparkSession().read().parquet(new org.apache.hadoop.fs.Path(path, "data").toString())
                        .first();
                List<Double> values = data.getList(data.fieldIndex("w"));
                double[] w = values.stream().mapToDouble(Double::doubleValue).toArray();
                int k = data.getInt(data.fieldIndex("k"));
                // A model saved before the bias was fitted has no b: it predicted max(xW, 0).
                double[] b = java.util.Arrays.asList(data.schema().fieldNames()).contains("b")
                        ? data.<Double>getList(data.fieldIndex("b")).stream().mapToDouble(Double::doubleValue).toArray()
                        : new double[k];
                ReluRegressionModel model = new ReluRegressionModel(metadata.uid(),
                        new Matrix(data.getInt(data.fieldIndex("d")), k, w), b,
                        data.getBoolean(data.fieldIndex("numberPrediction")));
                metadata.getAndSetParams(model, Option.empty());
                return model;
            }
        };
    }

    public static ReluRegressionModel load(String path) {
        return read().load(path);
    }
}
