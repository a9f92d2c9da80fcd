package org.relugrad.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ExactSum}'s fast path on the JDK Vector API: each lane one entry, doing exactly the additions the plain
 * loop does (TwoSum is additions and subtractions only, each lane rounded as a double would be), so the pairs are
 * the same bits. A run of lanes of which any needs more (a sum that does not fit in two doubles, a non-finite
 * value, an entry in the overflow store) goes to the plain code, entry by entry.
 */
final class ExactSumVector {
    /** The widest vectors the hardware has, as {@link FusedKernelVector} uses. */
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;
    private static final int WL = WIDE.length();

    private ExactSumVector() {
    }

    /** Whether vectors are wide enough to be worth it: 4 doubles or more. */
    static boolean worthIt() {
        return WL >= 4;
    }

    /**
     * Adds x[j] to entry j for j in [0, n) as far as a multiple of the lane count; the runs that need the slow path
     * go to {@code sum.add}. Returns how many entries it did.
     */
    static int addAll(ExactSum sum, double[] hi, double[] lo, double[] x, int n) {
        int bound = WIDE.loopBound(n);
        for (int i = 0; i < bound; i += WL) {
            DoubleVector a = DoubleVector.fromArray(WIDE, hi, i);
            DoubleVector b = DoubleVector.fromArray(WIDE, lo, i);
            DoubleVector v = DoubleVector.fromArray(WIDE, x, i);
            DoubleVector s = a.add(v);
            DoubleVector sv = s.sub(a);
            DoubleVector e = a.sub(s.sub(sv)).add(v.sub(sv));
            DoubleVector t = b.add(e);
            DoubleVector tv = t.sub(b);
            DoubleVector f = b.sub(t.sub(tv)).add(e.sub(tv));
            DoubleVector u = s.add(t);
            DoubleVector uv = u.sub(s);
            DoubleVector g = s.sub(u.sub(uv)).add(t.sub(uv));
            VectorMask<Double> slow = f.compare(VectorOperators.NE, 0.0).or(g.test(VectorOperators.IS_NAN));
            if (slow.anyTrue()) {
                for (int j = i; j < i + WL; j++) {
                    sum.add(j, x[j]);
                }
            } else {
                u.intoArray(hi, i);
                g.intoArray(lo, i);
            }
        }
        return bound;
    }

    /**
     * Adds the pair (phi[j], plo[j]) to entry offset + j for j in [0, n) as far as a multiple of the lane count, as
     * {@link ExactSum#mergeInto} does; the runs that need the slow path go to {@code sum.mergeEntry}. Returns how
     * many entries it did.
     */
    static int merge(ExactSum sum, double[] hi, double[] lo, int offset, ExactSum part, double[] phi, double[] plo,
            int n) {
        int bound = WIDE.loopBound(n);
        for (int j = 0; j < bound; j += WL) {
            int i = offset + j;
            DoubleVector a = DoubleVector.fromArray(WIDE, hi, i);
            DoubleVector b = DoubleVector.fromArray(WIDE, lo, i);
            DoubleVector c = DoubleVector.fromArray(WIDE, phi, j);
            DoubleVector d = DoubleVector.fromArray(WIDE, plo, j);
            DoubleVector s = a.add(c);
            DoubleVector sv = s.sub(a);
            DoubleVector e = a.sub(s.sub(sv)).add(c.sub(sv));
            DoubleVector t = b.add(e);
            DoubleVector tv = t.sub(b);
            DoubleVector f = b.sub(t.sub(tv)).add(e.sub(tv));
            DoubleVector u = s.add(t);
            DoubleVector uv = u.sub(s);
            DoubleVector g = s.sub(u.sub(uv)).add(t.sub(uv));
            DoubleVector s2 = u.add(d);
            DoubleVector sv2 = s2.sub(u);
            DoubleVector e2 = u.sub(s2.sub(sv2)).add(d.sub(sv2));
            DoubleVector t2 = g.add(e2);
            DoubleVector tv2 = t2.sub(g);
            DoubleVector f2 = g.sub(t2.sub(tv2)).add(e2.sub(tv2));
            DoubleVector u2 = s2.add(t2);
            DoubleVector uv2 = u2.sub(s2);
            DoubleVector g2 = s2.sub(u2.sub(uv2)).add(t2.sub(uv2));
            VectorMask<Double> slow = f.compare(VectorOperators.NE, 0.0)
                    .or(f2.compare(VectorOperators.NE, 0.0))
                    .or(g2.test(VectorOperators.IS_NAN));
            if (slow.anyTrue()) {
                for (int m = j; m < j + WL; m++) {
                    sum.mergeEntry(offset + m, part, m);
                }
            } else {
                u2.intoArray(hi, i);
                g2.intoArray(lo, i);
            }
        }
        return bound;
    }
}
