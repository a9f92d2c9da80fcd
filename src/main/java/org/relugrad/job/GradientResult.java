package org.relugrad.job;

import java.util.List;
import java.util.Map;
import org.relugrad.math.Matrix;

/**
 * What a gradient run brings to the driver: f and ∂f/∂W (each the exact sum rounded once), the shape, how the work
 * was cut, the BLAS implementations the tasks used, and the wall time of each phase in seconds.
 */
public record GradientResult(double loss, Matrix dW, long rows, int d, int k, int partitions, int blockRows,
                             List<String> blas, Map<String, Double> phaseSeconds) {
}
