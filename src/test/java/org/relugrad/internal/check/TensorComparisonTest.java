package org.relugrad.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** torch.allclose's rule element by element, and the statistics a comparison keeps. */
class TensorComparisonTest {
    private static final Tolerance TORCH = Tolerance.TORCH_DEFAULT;

    @Test
    void closeMeansWithinAtolPlusRtolTimesExpected() {
        // torch.allclose(torch.tensor([1.00001]), torch.tensor([1.0])) is True: |diff| = 1e-5 <= 1e-8 + 1e-5.
        assertTrue(TORCH.excess(1.0 + 0.99e-5, 1.0) <= 1);
        assertFalse(TORCH.excess(1.0 + 1.02e-5, 1.0) <= 1);
        assertTrue(TORCH.excess(0.99e-8, 0.0) <= 1);
        assertFalse(TORCH.excess(1.02e-8, 0.0) <= 1);
        // Asymmetric, as torch's: the tolerance scales with the expected value only.
        assertTrue(TORCH.excess(100.0, 100.0009) <= 1);
        assertFalse(new Tolerance(1e-5, 0).excess(1e-300, 0.0) <= 1);
    }

    @Test
    void nanIsNeverCloseAndEqualInfinitiesAre() {
        assertFalse(TORCH.excess(Double.NaN, Double.NaN) <= 1);
        assertFalse(TORCH.excess(1.0, Double.NaN) <= 1);
        assertEquals(0.0, TORCH.excess(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(TORCH.excess(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY) <= 1);
    }

    @Test
    void negativeOrNonFiniteTolerancesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1e-5, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(1e-5, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(Double.POSITIVE_INFINITY, 0));
    }

    @Test
    void keepsCountsLargestDifferencesAndTheWorstElement() {
        TensorComparison c = new TensorComparison("dX", 3, TORCH);
        double[] expected = {1, 2, 3, 4, 5, 6};
        double[] got = {1, 2, 3.5, 4, 5.1, 6};
        c.add(0, got, expected, 6);
        assertEquals(6, c.compared());
        assertEquals(2, c.failing());
        assertEquals(0.5, c.maxAbs(), 1e-15);
        assertEquals(0.5 / 3, c.maxRel(), 1e-15);
        assertEquals(0, c.worstRow());
        assertEquals(2, c.worstCol());
        assertEquals(3.5, c.worstGot());
        assertEquals(3.0, c.worstExpected());
        assertFalse(c.passed());
    }

    @Test
    void mergingInAnyOrderGivesTheSameResult() {
        double[] expected = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] got = {1, 2.5, 3, 4, 5, 6.5, 7, 8};
        TensorComparison ab = part(0, got, expected).merge(part(4, got, expected));
        TensorComparison ba = part(4, got, expected).merge(part(0, got, expected));
        for (TensorComparison c : new TensorComparison[] {ab, ba}) {
            assertEquals(2, c.failing());
            // Both are 0.5 off; 2.5 vs 2 is further outside its tolerance than 6.5 vs 6.
            assertEquals(0, c.worstRow());
            assertEquals(1, c.worstCol());
        }
    }

    @Test
    void bitwiseComparisonTellsSignedZerosAndOneUlpApart() {
        TensorComparison c = TensorComparison.bitwise("dW", 2);
        c.add(0, 0.0, -0.0);
        c.add(1, 1.0, Math.nextUp(1.0));
        c.add(2, 3.0, 3.0);
        assertEquals(2, c.failing());
        assertFalse(c.passed());
        TensorComparison same = TensorComparison.bitwise("loss", 1);
        same.add(0, 2.5, 2.5);
        assertTrue(same.passed());
    }

    @Test
    void nothingComparedIsNotAPass() {
        assertFalse(new TensorComparison("dX", 2, TORCH).passed());
    }

    private static TensorComparison part(int first, double[] got, double[] expected) {
        TensorComparison c = new TensorComparison("dY", 4, TORCH);
        for (int i = first; i < first + 4; i++) {
            c.add(i, got[i], expected[i]);
        }
        return c;
    }
}
