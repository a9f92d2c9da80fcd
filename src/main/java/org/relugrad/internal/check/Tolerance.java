package org.relugrad.internal.check;

import java.io.Serializable;

/**
 * torch.allclose's test, |got − expected| ≤ atol + rtol·|expected|, element by element; NaN is never close (as
 * torch's default, equal_nan=False), and equal infinities are.
 *
 * @param rtol relative tolerance (torch's default 1e-5)
 * @param atol absolute tolerance (torch's default 1e-8)
 */
public record Tolerance(double rtol, double atol) implements Serializable {
    public static final Tolerance TORCH_DEFAULT = new Tolerance(1e-5, 1e-8);
    /**
     * torch.testing.assert_close's defaults for float32: float64 gradients against float32 ones differ by float32's
     * rounding (2⁻²⁴ ≈ 6e-8 relative per operation, more after sums).
     */
    public static final Tolerance TORCH_FLOAT32 = new Tolerance(1.3e-6, 1e-5);

    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("--rtol and --atol must be finite and >= 0, were " + rtol + ", " + atol);
        }
    }

    /**
     * How far {@code got} is from {@code expected} in units of the allowed difference: ≤ 1 is close; +∞ for NaN or
     * a difference where none is allowed.
     */
    public double excess(double got, double expected) {
        if (got == expected) {
            return 0.0;
        }
        double diff = Math.abs(got - expected);
        if (Double.isNaN(diff)) {
            return Double.POSITIVE_INFINITY;
        }
        double allowed = atol + rtol * Math.abs(expected);
        return allowed > 0 ? diff / allowed : Double.POSITIVE_INFINITY;
    }
}
