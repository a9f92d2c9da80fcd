package org.relugrad.internal.check;

/**
 * How the finite-difference check probes f.
 *
 * @param directions how many random directions
 * @param seed the seed the directions are made from
 * @param eps the step ε of the central difference
 * @param rtol the error accepted, relative to the rounding scale of each difference (see {@link DirectionCheck})
 */
public record FiniteDifferenceSettings(int directions, long seed, double eps, double rtol) {
    public FiniteDifferenceSettings {
        if (directions < 1 || directions > 1000) {
            throw new IllegalArgumentException("--directions must be from 1 to 1000, was " + directions);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("--eps must be a positive number, was " + eps);
        }
        if (!(rtol >= 0) || Double.isInfinite(rtol)) {
            throw new IllegalArgumentException("--fd-rtol must be finite and >= 0, was " + rtol);
        }
    }
}
