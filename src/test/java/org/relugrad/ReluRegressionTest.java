package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.internal.fit.PlantedProblem;

/**
 * ReluRegression as Spark ML uses an Estimator: in a Pipeline after Spark's VectorAssembler, scored by Spark's
 * RegressionEvaluator, saved and loaded; predictions against the naive max(xW, 0).
 */
class ReluRegressionTest extends SharedSpark {
    @TempDir
    Path tmp;
    private SparkSession spark;

    @BeforeAll
    void session() {
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    /** The planted problem's rows as columns x0 … x{d−1} and y (k = 1) or a Vector label. */
    private Dataset<Row> table(PlantedProblem p, boolean vectorLabel) {
        StructType schema = new StructType();
        for (int l = 0; l < p.x.cols(); l++) {
            schema = schema.add("x" + l, DataTypes.DoubleType, false);
        }
        schema = vectorLabel ? schema.add("y", SQLDataTypes.VectorType(), false)
                : schema.add("y", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < p.x.rows(); i++) {
            Object[] values = new Object[p.x.cols() + 1];
            for (int l = 0; l < p.x.cols(); l++) {
                values[l] = p.x.get(i, l);
            }
            double[] y = new double[p.y.cols()];
            for (int j = 0; j < y.length; j++) {
                y[j] = p.y.get(i, j);
            }
            values[p.x.cols()] = vectorLabel ? Vectors.dense(y) : (Object) y[0];
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static VectorAssembler assembler(int d) {
        String[] inputs = new String[d];
        for (int l = 0; l < d; l++) {
            inputs[l] = "x" + l;
        }
        return new VectorAssembler().setInputCols(inputs).setOutputCol("features");
    }

    @Test
    void inAPipelineWithVectorAssemblerItRecoversThePlantedLayerAndSurvivesSaveAndLoad() throws Exception {
        PlantedProblem planted = new PlantedProblem(4_000, 5, 1, 21);
        Dataset<Row> rows = table(planted, false);
        ReluRegression relu = new ReluRegression().setLabelCol("y").setMaxIter(30).setTol(1e-10).setRegParam(0.0)
                .setSeed(4);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler(5), relu});
        PipelineModel model = pipeline.fit(rows);

        ReluRegressionModel layer = (ReluRegressionModel) model.stages()[1];
        assertTrue(NaiveGradient.relativeError(layer.weights(), planted.wStar) <= 0.02);
        Dataset<Row> predicted = model.transform(rows);
        RegressionEvaluator rmse = new RegressionEvaluator().setLabelCol("y").setPredictionCol("prediction")
                .setMetricName("rmse");
        // The noise is 0.01·uniform(−1, 1): its RMS is 0.01/√3.
        double score = rmse.evaluate(predicted);
        assertTrue(score < 0.0062, "rmse " + score);

        // Each prediction is max(xW + b, 0) for the row's x, as the naive loop computes it; the planted layer has no
        // bias, and the fitted intercept (fitIntercept is true by default, as in Spark ML) comes out near 0.
        Matrix w = layer.weights();
        double b = layer.intercept()[0];
        assertTrue(Math.abs(b) < 0.01, "intercept " + b);
        List<Row> some = predicted.select("features", "prediction").limit(50).collectAsList();
        for (Row r : some) {
            Vector x = r.getAs(0);
            double z = 0;
            for (int l = 0; l < 5; l++) {
                z += x.apply(l) * w.get(l, 0);
            }
            assertEquals(Math.max(z + b, 0), r.getDouble(1));
        }

        String path = tmp.resolve("pipeline").toString();
        model.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        ReluRegressionModel loadedLayer = (ReluRegressionModel) loaded.stages()[1];
        assertArrayEquals(w.values(), loadedLayer.weights().values());
        assertArrayEquals(layer.intercept(), loadedLayer.intercept());
        assertEquals(some.get(0).getDouble(1), loaded.transform(rows).select("prediction").first().getDouble(0));
        assertEquals(relu.uid(), loadedLayer.uid());
    }

    @Test
    void aVectorLabelGivesVectorPredictionsAndTheEstimatorSavesItsParams() throws Exception {
        PlantedProblem planted = new PlantedProblem(2_000, 3, 4, 8);
        Dataset<Row> rows = assembler(3).transform(table(planted, true));
        ReluRegression relu = new ReluRegression().setLabelCol("y").setMaxIter(7).setTol(0).setRegParam(0.5);
        ReluRegressionModel model = relu.fit(rows);
        assertEquals(3, model.weights().rows());
        assertEquals(4, model.weights().cols());
        Row first = model.transform(rows).select("prediction").first();
        assertEquals(4, ((Vector) first.getAs(0)).size());

        String path = tmp.resolve("estimator").toString();
        relu.write().overwrite().save(path);
        ReluRegression loaded = ReluRegression.load(path);
        assertEquals(7, (int) loaded.getOrDefault(loaded.maxIter()));
        assertEquals(0.5, (double) loaded.getOrDefault(loaded.regParam()));
        // Fitting again with the loaded settings gives the same W, bit for bit.
        assertArrayEquals(model.weights().values(), loaded.fit(rows).weights().values());
    }

    @Test
    void itFitsThePlantedBiasAndWithoutFitInterceptTheBiasIsZero() {
        PlantedProblem planted = new PlantedProblem(4_000, 5, 1, 33, true);
        Dataset<Row> rows = assembler(5).transform(table(planted, false));
        ReluRegressionModel withB = new ReluRegression().setLabelCol("y").setMaxIter(60).setTol(1e-10).setSeed(4)
                .fit(rows);
        assertTrue(NaiveGradient.relativeError(withB.weights(), planted.wStar) <= 0.02,
                "W: " + NaiveGradient.relativeError(withB.weights(), planted.wStar));
        assertEquals(planted.bStar[0], withB.intercept()[0], 0.02 * Math.abs(planted.bStar[0]));

        ReluRegression through = new ReluRegression().setLabelCol("y").setMaxIter(60).setTol(1e-10).setSeed(4)
                .setFitIntercept(false);
        ReluRegressionModel noB = through.fit(rows);
        assertArrayEquals(new double[1], noB.intercept());
        // Through the origin the planted layer cannot be fitted: the loss is larger than with the bias.
        double withLoss = squaredError(withB.transform(rows));
        double noLoss = squaredError(noB.transform(rows));
        assertTrue(withLoss < noLoss, withLoss + " vs " + noLoss);
    }

    private static double squaredError(Dataset<Row> predicted) {
        double sum = 0;
        for (Row r : predicted.select("y", "prediction").collectAsList()) {
            double e = r.getDouble(0) - r.getDouble(1);
            sum += e * e;
        }
        return sum;
    }

    @Test
    void aMistypedColumnIsRefusedByName() {
        PlantedProblem planted = new PlantedProblem(100, 2, 1, 1);
        Dataset<Row> rows = table(planted, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReluRegression().setFeaturesCol("x0").setLabelCol("y").fit(rows));
        assertTrue(e.getMessage().contains("the features column 'x0' must be a Vector, but is double"),
                e.getMessage());
    }
}
