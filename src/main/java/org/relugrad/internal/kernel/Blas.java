package org.relugrad.internal.kernel;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * The one place that calls BLAS: the three block products of the kernel, on row-major arrays.
 *
 * <p>BLAS is column-major, and a row-major r × c array is the column-major c × r transpose, so each product is
 * written for the transposes: Zᵀ = Wᵀ Xᵀ, (XᵀG)ᵀ = Gᵀ X, (G Wᵀ)ᵀ = W Gᵀ. dev.ludovic.netlib runs them on the
 * system's native BLAS ({@code libblas.so.3}, e.g. OpenBLAS) where there is one, else on the OpenBLAS in relugrad's
 * jar ({@link BundledBlas}, Linux x86-64; one thread per task wants {@code OPENBLAS_NUM_THREADS=1}), else on the JDK
 * Vector API implementation, else plain Java. On one core the bundled OpenBLAS is faster than the Vector API
 * implementation at every block shape measured (d = k = 4 to d = 512, k = 256), so it is preferred to it.
 */
public final class Blas {
    private static final String NATIVE_LIBRARY = nativeLibrary();
    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private Blas() {
    }

    /**
     * The implementation in use, for reports: "OpenBLAS 0.3.31 (bundled)", "system libblas.so.3 (JNIBLAS)",
     * "VectorBLAS (Java)", ...
     */
    public static String implementation() {
        if (!(BLAS_INSTANCE instanceof NativeBLAS)) {
            return BLAS_INSTANCE.getClass().getSimpleName() + " (Java)";
        }
        return NATIVE_LIBRARY.endsWith("(bundled)") ? NATIVE_LIBRARY : NATIVE_LIBRARY + " (JNIBLAS)";
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

    /** Hands the bundled OpenBLAS to netlib where the system has none; must run before netlib creates its BLAS. */
    private static String nativeLibrary() {
        try {
            return BundledBlas.install();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            System.getLogger(Blas.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot use the bundled OpenBLAS, so the block products run in Java: " + e.getMessage());
            return "bundled OpenBLAS, not loaded";
        }
    }
}
