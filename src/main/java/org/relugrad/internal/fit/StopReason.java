package org.relugrad.internal.fit;

import breeze.optimize.FirstOrderMinimizer;

/** Why a training stopped, as Breeze's L-BFGS tells it. */
public enum StopReason {
    /** --max-iter iterations were done. */
    MAX_ITERATIONS("maxIterations"),
    /** The objective changed by at most tol · |its value at W0| over the last 20 iterations. */
    FUNCTION_VALUES_CONVERGED("functionValuesConverged"),
    /** The gradient's norm fell to max(tol · |objective|, 1e-8). */
    GRADIENT_CONVERGED("gradientConverged"),
    /** The line search found no step that decreases the objective, twice in a row. */
    LINE_SEARCH_FAILED("lineSearchFailed");

    private final String label;

    StopReason(String label) {
        this.label = label;
    }

    /** The name summary.json gives it. */
    public String label() {
        return label;
    }

    static StopReason of(FirstOrderMinimizer.ConvergenceReason reason) {
        if (reason == FirstOrderMinimizer.MaxIterations$.MODULE$) {
            return MAX_ITERATIONS;
        }
        if (reason == FirstOrderMinimizer.FunctionValuesConverged$.MODULE$) {
            return FUNCTION_VALUES_CONVERGED;
        }
        if (reason == FirstOrderMinimizer.GradientConverged$.MODULE$) {
            return GRADIENT_CONVERGED;
        }
        if (reason == FirstOrderMinimizer.SearchFailed$.MODULE$) {
            return LINE_SEARCH_FAILED;
        }
        throw new IllegalStateException("L-BFGS stopped for a reason relugrad does not check: " + reason.reason());
    }
}
