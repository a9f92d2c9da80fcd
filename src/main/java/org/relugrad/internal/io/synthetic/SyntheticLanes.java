package org.relugrad.internal.io.synthetic;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SyntheticInput#fill} on the JDK Vector API: one stream position per lane, each lane doing exactly the
 * scalar code's integer steps (wrapping adds and multiplies, shifts, xors) and then m·2⁻⁵² − 1, with m below 2⁵³
 * converted exactly, so the values are the same bits. The scalar code's 64-bit multiplies do not vectorize by
 * themselves; here eight entries go through each step at once with AVX-512.
 */
final class SyntheticLanes {
    /** Longs and doubles in vectors of the same lane count, so one converts into the other whole. */
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = LONGS.length();
    private static final long[] LANE_OFFSETS = laneOffsets();

    private SyntheticLanes() {
    }

    /** Whether the vectors are worth it: at least four 64-bit lanes, as with AVX2 and AVX-512. */
    static boolean fits() {
        return LANES >= 4 && DOUBLES.length() == LANES;
    }

    private static long[] laneOffsets() {
        long[] offsets = new long[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            offsets[lane] = lane * SyntheticInput.GOLDEN_GAMMA;
        }
        return offsets;
    }

    /**
     * dest[from + i] for i in [0, count − count mod lanes), the i-th entry from stream position {@code start};
     * returns how many it did.
     */
    static int fill(long start, double[] dest, int from, int count) {
        int done = count - count % LANES;
        // Scalars as vectors made once: an operation with a scalar goes through more calls inside the Vector API,
        // and past the JIT's inlining depth a call there is not compiled into vector instructions.
        LongVector position = LongVector.fromArray(LONGS, LANE_OFFSETS, 0).add(LongVector.broadcast(LONGS, start));
        LongVector step = LongVector.broadcast(LONGS, LANES * SyntheticInput.GOLDEN_GAMMA);
        LongVector mix1 = LongVector.broadcast(LONGS, SyntheticInput.MIX1);
        LongVector mix2 = LongVector.broadcast(LONGS, SyntheticInput.MIX2);
        DoubleVector twoUlp = DoubleVector.broadcast(DOUBLES, SyntheticInput.TWO_ULP);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (int i = 0; i < done; i += LANES) {
            LongVector z = position;
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(mix1);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(mix2);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            DoubleVector m = (DoubleVector) z.lanewise(VectorOperators.LSHR, 11).convert(VectorOperators.L2D, 0);
            m.mul(twoUlp).sub(one).intoArray(dest, from + i);
            position = position.add(step);
        }
        return done;
    }
}
