package org.relugrad.internal.fit;

import breeze.linalg.DenseVector;
import breeze.math.MutableFiniteCoordinateField;
import breeze.math.MutableInnerProductModule;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer.ConvergenceCheck;
import breeze.optimize.FirstOrderMinimizer.State;
import breeze.optimize.LBFGS;
import breeze.optimize.LineSearch$;
import breeze.optimize.StepSizeUnderflow;
import breeze.optimize.StrongWolfeLineSearch;

/**
 * Breeze's L-BFGS with a first line search that can reach the minimum. Breeze starts it at 1/‖∂f‖ along −∂f, and
 * its strong Wolfe search grows a step by 1.5× at most ten times, so a first step that needs to be longer than
 * 38/‖∂f‖ fails ("lineSearchFailed" after 0 iterations): W0 far from a fit at d = k = 1024 did. Here the first
 * search starts at max(1/‖∂f‖, f/‖∂f‖²), the larger of Breeze's guess and Polyak's step for a loss whose least value
 * is 0; every later iteration is Breeze's own (a step of 1 along the L-BFGS direction, then its search).
 *
 * <p>Breeze logs through a logger named by the optimizer's class: this class's, which conf/log4j2.properties turns
 * off as it does Breeze's.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class FirstStepLbfgs extends LBFGS<DenseVector<Object>> {
    private final MutableInnerProductModule space;

    FirstStepLbfgs(ConvergenceCheck<DenseVector<Object>> check, int memory,
                   MutableFiniteCoordinateField<DenseVector<Object>, Object, Object> space) {
        super(check, memory, (MutableInnerProductModule) space);
        this.space = (MutableInnerProductModule) space;
    }

    @Override
    public double determineStepSize(
            State<DenseVector<Object>, Object, LBFGS.ApproximateInverseHessian<DenseVector<Object>>> state,
            DiffFunction<DenseVector<Object>> f, DenseVector<Object> dir) {
        if (state.iter() > 0) {
            return super.determineStepSize(state, f, dir);
        }
        double norm = LbfgsTraining.norm(Vectors.values(dir));
        double start = Math.max(1.0 / norm, state.value() / (norm * norm));
        DiffFunction<Object> along = LineSearch$.MODULE$.functionFromSearchDirection(f, state.x(), dir, space);
        double alpha = new StrongWolfeLineSearch(10, 10).minimize(along, start);
        if (alpha * LbfgsTraining.norm(Vectors.values(state.grad())) < 1e-10) {
            throw new StepSizeUnderflow();
        }
        return alpha;
    }
}
