package org.relugrad.internal.fit

import breeze.linalg.DenseVector
import breeze.optimize.DiffFunction

/**
 * Breeze's DiffFunction over a Java function of W (flattened) to the objective's value and gradient there.
 *
 * Java cannot implement the DiffFunction trait itself: its `apply(T): Double` and Scala's `Function1.apply(T): Object`
 * erase to one method with two return types, which only the Scala compiler can emit. This one class is the whole of
 * relugrad's Scala; everything it calls is Java.
 */
final class FunctionDiff(f: java.util.function.Function[DenseVector[Double], (Double, DenseVector[Double])])
    extends DiffFunction[DenseVector[Double]] {

  override def calculate(x: DenseVector[Double]): (Double, DenseVector[Double]) = f.apply(x)
}
