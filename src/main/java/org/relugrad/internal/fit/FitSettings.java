package org.relugrad.internal.fit;

/**
 * How L-BFGS trains W: at most {@code maxIterations} iterations, the tolerance of its stopping tests (0: none, so
 * exactly {@code maxIterations} iterations run unless the line search fails), λ of the objective
 * f(W) + λ‖W‖²_F, and {@code memory}, the number of steps its inverse Hessian approximation remembers.
 */
public record FitSettings(int maxIterations, double tolerance, double l2, int memory) {
    /** As Spark ML's LinearRegression: ten remembered steps. */
    public static final int DEFAULT_MEMORY = 10;

    /** @throws IllegalArgumentException for a setting out of range, in the problem's words */
    public FitSettings {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("the iteration limit must be >= 0, was " + maxIterations);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("the tolerance must be a finite number >= 0, was " + tolerance);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("the L2 weight must be a finite number >= 0, was " + l2);
        }
        if (memory < 1) {
            throw new IllegalArgumentException("L-BFGS must remember at least one step, was " + memory);
        }
    }

    public FitSettings(int maxIterations, double tolerance, double l2) {
        this(maxIterations, tolerance, l2, DEFAULT_MEMORY);
    }
}
