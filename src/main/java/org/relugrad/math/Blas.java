package org.relugrad.math;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The one place that calls BLAS: the three block products of the kernel, on row-major arrays.
 *
 * <p>BLAS is column-major, and a row-major r × c array is the column-major c × r transpose, so each product is
 * written for the transposes: Zᵀ = Wᵀ Xᵀ, (XᵀG)ᵀ = Gᵀ X, (G Wᵀ)ᵀ = W Gᵀ. dev.ludovic.netlib picks the system's native
 * BLAS (OpenBLAS where installed), else the JDK Vector API implementation, else plain Java.
 */
public final class Blas {
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private Blas() {
    }

    /** The implementation in use, for reports. */
    public static String implementation() {
        return BLAS_INSTANCE.getClass().getName();
    }

    /** z (rows × k) = x (rows × d) · w (d × k). */
    public static void xw(int rows, int d, int k, double[] x, double[] w, double[] z) {
        BLAS_INSTANCE.dgemm("N", "N", k, rows, d, 1.0, w, k, x, d, 0.0, z, k);
    }

    /** dw (d × k) = xᵀ (d × rows) · g (rows × k), overwriting dw. */
    public static void xtg(int rows, int d, int k, double[] x, double[] g, double[] dw) {
        BLAS_INSTANCE.dgemm("N", "T", k, d, rows, 1.0, g, k, x, d, 0.0, dw, k);
    }

    /** dx (rows × d) = g (rows × k) · wᵀ (k × d). */
    public static void gwt(int rows, int d, int k, double[] g, double[] w, double[] dx) {
        BLAS_INSTANCE.dgemm("T", "N", d, rows, k, 1.0, w, k, g, k, 0.0, dx, d);
    }
}
