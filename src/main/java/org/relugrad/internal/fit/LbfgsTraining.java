package org.relugrad.internal.fit;

import org.relugrad.internal.engine.HeapTooSmall;
import breeze.linalg.DenseVector;
import breeze.math.MutableFiniteCoordinateField;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.FirstOrderMinimizer.ConvergenceCheck;
import breeze.optimize.FirstOrderMinimizer.ConvergenceReason;
import breeze.optimize.FirstOrderMinimizer.State;
import breeze.optimize.LBFGS;
import java.util.ArrayList;
import java.util.List;
import org.relugrad.Matrix;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.immutable.IndexedSeq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Trains W by Breeze's L-BFGS, as Spark ML's LinearRegression does, minimizing f(W) + λ‖W‖²_F where f and ∂f/∂W
 * come from a {@link LossFunction}. After W0 and after every iteration that took a step it hands the listener a
 * {@link TrainingState} holding all of the optimizer's state, and {@link #resume} continues from any such state with
 * the very computation the uninterrupted training would have done: the same W, bit for bit, provided the loss
 * function gives the same bits for the same W (relugrad's does, for any partitioning).
 *
 * <p>Stopping tests (Breeze's, as in {@code LBFGS(maxIter, m, tol)}): the iteration limit; for tol &gt; 0 also the
 * objective changing by at most tol · |objective at W0| over 20 iterations, and the gradient's norm falling to
 * max(tol · |objective|, 1e-8); and a line search that fails twice in a row.
 */
public final class LbfgsTraining {
    /** Past values the function-value test compares with, as Breeze's default. */
    private static final int VALUE_MEMORY = 20;
    private static final MutableFiniteCoordinateField<DenseVector<Object>, Object, Object> SPACE =
            DenseVector.space_Double();

    /** Told of every recorded state, W0's first. */
    @FunctionalInterface
    public interface Listener {
        void iterationDone(TrainingState state);
    }

    /** Vectors of d·k doubles L-BFGS keeps besides its history: W, ∂f/∂W, the direction, the line search's points. */
    private static final int WORKING_VECTORS = 10;

    private final FitSettings settings;
    private final boolean bias;

    public LbfgsTraining(FitSettings settings) {
        this(settings, false);
    }

    /** @param bias whether W's last row is a bias ({@link WithBias}), which the λ term leaves out */
    public LbfgsTraining(FitSettings settings, boolean bias) {
        this.settings = settings;
        this.bias = bias;
    }

    /**
     * Says, before the first pass, when L-BFGS's state at W of d × k cannot fit this JVM's heap: its history of
     * 2·m vectors (m remembered steps and their gradient changes) and about {@value #WORKING_VECTORS} more, each of
     * d·k doubles.
     *
     * @throws HeapTooSmall naming the size and what is needed
     */
    public static void requireFits(FitSettings settings, int d, int k) {
        long vectors = 2L * settings.memory() + WORKING_VECTORS;
        HeapTooSmall.require("L-BFGS at d = " + d + ", k = " + k + " (a history of 2·" + settings.memory() + " and "
                + WORKING_VECTORS + " more vectors of d·k doubles, in the driver)", vectors * 8L * d * k,
                Runtime.getRuntime().maxMemory(), true, false);
    }

    /** Trains from {@code w0} (d × k). */
    @SuppressWarnings("rawtypes")
    public FitResult run(LossFunction loss, Matrix w0, Listener listener) {
        Training training = new Training(loss, w0.rows(), w0.cols());
        State start = training.lbfgs.iterations(training.f, Vectors.of(w0.values().clone())).next();
        TrainingState first = training.record(start, null);
        listener.iterationDone(first);
        return training.from(start, first, listener);
    }

    /**
     * Goes on from a state this training recorded (with the same settings).
     *
     * @throws IllegalArgumentException when the state was recorded with other settings
     */
    public FitResult resume(LossFunction loss, TrainingState from, Listener listener) {
        if (!from.settings().equals(settings)) {
            throw new IllegalArgumentException("the checkpoint was made with " + from.settings() + ", not " + settings);
        }
        Training training = new Training(loss, from.d(), from.k());
        return training.from(training.restore(from), from, listener);
    }

    /**
     * One training's objective and optimizer. Breeze's states are used by their raw type: the type of their
     * convergence memory is path-dependent in Scala, which Java cannot name.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class Training {
        final Objective objective;
        final FunctionDiff f;
        final ConvergenceCheck<DenseVector<Object>> check;
        final LBFGS<DenseVector<Object>> lbfgs;

        Training(LossFunction loss, int d, int k) {
            objective = new Objective(loss, d, k, settings.l2(), bias);
            f = objective.asDiffFunction();
            check = convergenceCheck();
            lbfgs = new FirstStepLbfgs(check, settings.memory(), SPACE);
        }

        FitResult from(State start, TrainingState recorded, Listener listener) {
            Iterator<State> states = (Iterator) lbfgs.infiniteIterations(f, start);
            State state = states.next(); // the start itself
            TrainingState last = recorded;
            while (true) {
                Option<ConvergenceReason> reason = check.apply(state, state.convergenceInfo());
                if (reason.isDefined()) {
                    return new FitResult(last.wMatrix(), last.lossHistory()[last.lossHistory().length - 1],
                            last.lossHistory(), last.gradientNormHistory(), StopReason.of(reason.get()));
                }
                State next = states.next();
                // A failed line search gives the same iteration again with its memory cleared: no step, no record.
                if (next.iter() > state.iter()) {
                    last = record(next, last);
                    listener.iterationDone(last);
                }
                state = next;
            }
        }

        /** The recorded form of {@code state}, after {@code before} (null for W0). */
        TrainingState record(State state, TrainingState before) {
            double[] w = Vectors.values((DenseVector<Object>) state.x()).clone();
            double[] gradient = Vectors.values((DenseVector<Object>) state.grad()).clone();
            LBFGS.ApproximateInverseHessian history = (LBFGS.ApproximateInverseHessian) state.history();
            TrainingState now = new TrainingState(settings, objective.d(), objective.k(), state.iter(), w,
                    state.value(), gradient, state.initialAdjVal(), arrays(history.memStep()),
                    arrays(history.memGradDelta()), infoArrays(state.convergenceInfo()), new double[0],
                    new double[0]);
            double loss = objective.lossAt(w);
            double norm = norm(gradient);
            return before == null ? now.then(now, loss, norm) : before.then(now, loss, norm);
        }

        /** The Breeze state {@code recorded} was made from. */
        State restore(TrainingState recorded) {
            DenseVector<Object> x = Vectors.of(recorded.w().clone());
            DenseVector<Object> gradient = Vectors.of(recorded.gradient().clone());
            LBFGS.ApproximateInverseHessian history = new LBFGS.ApproximateInverseHessian(settings.memory(),
                    vectors(recorded.steps()), vectors(recorded.gradientDeltas()),
                    (breeze.math.MutableInnerProductModule) SPACE);
            // For L-BFGS the "adjusted" value and gradient are the value and gradient themselves.
            return new State(x, recorded.value(), gradient, recorded.value(), gradient, recorded.iteration(),
                    recorded.initialValue(), history, info(recorded.convergenceInfo()), false, Option.empty());
        }

        /** Breeze's tests, in one flat sequence (so its memory is one entry per test). */
        private ConvergenceCheck<DenseVector<Object>> convergenceCheck() {
            List<ConvergenceCheck<DenseVector<Object>>> checks = new ArrayList<>();
            checks.add(FirstOrderMinimizer.maxIterationsReached(settings.maxIterations()));
            if (settings.tolerance() > 0) {
                checks.add(FirstOrderMinimizer.functionValuesConverged(settings.tolerance(), true, VALUE_MEMORY));
                checks.add(FirstOrderMinimizer.gradientConverged(settings.tolerance(), true,
                        (breeze.math.NormedModule) SPACE));
            }
            checks.add(FirstOrderMinimizer.searchFailed());
            return new FirstOrderMinimizer.SequenceConvergenceCheck(
                    CollectionConverters.asScala(checks).toIndexedSeq());
        }
    }

    static double norm(double[] values) {
        double s = 0.0;
        for (double v : values) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static List<double[]> arrays(IndexedSeq<?> vectors) {
        List<double[]> list = new ArrayList<>();
        for (Object v : CollectionConverters.asJava(vectors)) {
            list.add(Vectors.values(asVector(v)).clone());
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private static DenseVector<Object> asVector(Object v) {
        return (DenseVector<Object>) v;
    }

    private static IndexedSeq<DenseVector<Object>> vectors(List<double[]> arrays) {
        List<DenseVector<Object>> list = new ArrayList<>();
        for (double[] a : arrays) {
            list.add(Vectors.of(a.clone()));
        }
        return CollectionConverters.asScala(list).toIndexedSeq();
    }

    /** The tests' memory: a sequence of Doubles for the function-value test, nothing (Unit) for the others. */
    private static List<double[]> infoArrays(Object info) {
        List<double[]> list = new ArrayList<>();
        for (Object entry : CollectionConverters.asJava((IndexedSeq<?>) info)) {
            if (entry instanceof IndexedSeq<?> values) {
                double[] a = new double[values.size()];
                int i = 0;
                for (Object v : CollectionConverters.asJava(values)) {
                    a[i++] = (Double) v;
                }
                list.add(a);
            } else {
                list.add(null);
            }
        }
        return list;
    }

    private static IndexedSeq<Object> info(List<double[]> arrays) {
        List<Object> entries = new ArrayList<>();
        for (double[] a : arrays) {
            if (a == null) {
                entries.add(BoxedUnit.UNIT);
            } else {
                List<Object> values = new ArrayList<>();
                for (double v : a) {
                    values.add(v);
                }
                entries.add(CollectionConverters.asScala(values).toIndexedSeq());
            }
        }
        return CollectionConverters.asScala(entries).toIndexedSeq();
    }
}
