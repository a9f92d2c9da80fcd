package org.relugrad.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 to float64 on the JDK Vector API, a vector at a time: the JIT of JDK 17 does not vectorize a loop that
 * converts floats into doubles, and converted one by one they cost the fused kernel about a third more time per row
 * (d = k = 4). Widening is exact, so the values are those of the plain loop.
 */
final class FloatWidening {
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #WIDE} has doubles: half its bits. */
    private static final VectorSpecies<Float> HALF =
            FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(WIDE.vectorBitSize() / 2));
    private static final int LANES = WIDE.length();

    private FloatWidening() {
    }

    /** {@code src[from .. from + count)} into {@code dest[0 .. count)}. */
    static void widen(float[] src, int from, double[] dest, int count) {
        int i = 0;
        for (int n = count - count % LANES; i < n; i += LANES) {
            ((DoubleVector) FloatVector.fromArray(HALF, src, from + i).convertShape(VectorOperators.F2D, WIDE, 0))
                    .intoArray(dest, i);
        }
        for (; i < count; i++) {
            dest[i] = src[from + i];
        }
    }
}
