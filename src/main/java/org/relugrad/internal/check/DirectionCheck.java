package org.relugrad.internal.check;

/**
 * One direction's check of one tensor: the analytic directional derivative ⟨∂f/∂T, V_T⟩ against the central
 * difference of f along V_T.
 *
 * @param direction the direction's number, from 0
 * @param tensor dW, dX or dY: the gradient checked
 * @param analytic ⟨∂f/∂T, V_T⟩ from the gradient checked
 * @param numeric (f(θ + εV) − f(θ − εV)) / 2ε, as evaluated
 * @param numericWithinPiece the same for the quadratic piece of f that holds θ: what a correct gradient matches
 * @param crossings elements whose z crosses 0 within ±ε
 * @param kinkBound Σ over those elements of |their share of numeric − their share within θ's piece|: how far the
 *     kinks can move numeric away from the derivative
 * @param scale √Σ (each element's share of numericWithinPiece)², the size rounding errors are measured against
 * @param tolerance the largest |numericWithinPiece − analytic| accepted
 */
public record DirectionCheck(int direction, String tensor, double analytic, double numeric, double numericWithinPiece,
                             long crossings, double kinkBound, double scale, double tolerance) {

    /** |numericWithinPiece − analytic|. */
    public double error() {
        return Math.abs(numericWithinPiece - analytic);
    }

    /** The error relative to the larger of the two derivatives (0 when both are 0). */
    public double relativeError() {
        double size = Math.max(Math.abs(analytic), Math.abs(numericWithinPiece));
        return size == 0.0 ? error() == 0.0 ? 0.0 : Double.POSITIVE_INFINITY : error() / size;
    }

    public boolean passed() {
        return error() <= tolerance;
    }
}
