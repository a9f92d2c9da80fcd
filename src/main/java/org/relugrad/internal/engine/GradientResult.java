package org.relugrad.internal.engine;

import java.util.List;
import java.util.Map;
import org.relugrad.Matrix;

/**
 * What a gradient run brings to the driver: f, ∂f/∂W and, with a bias, ∂f/∂b (null without; each the exact sum
 * rounded once), the shape, how the work
 * was cut, the BLAS implementations and the kernel paths the tasks used, the wall time of each phase in seconds,
 * the wall time of each computation of the gradient (one, unless it was repeated over cached blocks), and whether
 * reading the blocks took a shuffle, and the aggregation path that brought f and ∂f/∂W to the driver (driver, tree or
 * sliced; see {@link Aggregation}).
 */
public record GradientResult(double loss, Matrix dW, double[] db, long rows, int d, int k, int partitions, int blockRows,
                             List<String> blas, List<String> kernel, Map<String, Double> phaseSeconds,
                             List<Double> iterationSeconds, boolean shuffle, String aggregation) {

    /** The same result, with the wall time of each of the runs it is the last of. */
    public GradientResult withIterationSeconds(List<Double> seconds) {
        return new GradientResult(loss, dW, db, rows, d, k, partitions, blockRows, blas, kernel, phaseSeconds,
                List.copyOf(seconds), shuffle, aggregation);
    }
}
