package org.relugrad;

/**
 * The reference: the formulas written as plain float64 loops, one entry at a time, with no BLAS, no blocks and
 * none of the code under test. f = Σ R², R = max(XW, 0) − Y, G = 2R ⊙ 1[XW &gt; 0], dW = XᵀG, dX = GWᵀ, dY = −2R.
 */
public final class NaiveGradient {
    public final double loss;
    public final Matrix dW;
    public final Matrix dX;
    public final Matrix dY;

    /**
     * X with a last column of ones: the loss and gradients of a layer with a bias b are those of these rows at W with
     * b as its last row, [W; bᵀ], and ∂f/∂b is that row of ∂f/∂W.
     */
    public static Matrix withOnes(Matrix x) {
        double[] v = new double[x.rows() * (x.cols() + 1)];
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.values(), i * x.cols(), v, i * (x.cols() + 1), x.cols());
            v[i * (x.cols() + 1) + x.cols()] = 1.0;
        }
        return new Matrix(x.rows(), x.cols() + 1, v);
    }

    public NaiveGradient(Matrix x, Matrix w, Matrix y) {
        int n = x.rows();
        int d = x.cols();
        int k = w.cols();
        double[] g = new double[n * k];
        double[] dy = new double[n * k];
        double f = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double z = 0.0;
                for (int l = 0; l < d; l++) {
                    z += x.get(i, l) * w.get(l, j);
                }
                double r = Math.max(z, 0.0) - y.get(i, j);
                f += r * r;
                g[i * k + j] = z > 0.0 ? 2.0 * r : 0.0;
                dy[i * k + j] = -2.0 * r;
            }
        }
        double[] dw = new double[d * k];
        for (int l = 0; l < d; l++) {
            for (int j = 0; j < k; j++) {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    s += x.get(i, l) * g[i * k + j];
                }
                dw[l * k + j] = s;
            }
        }
        double[] dx = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < d; l++) {
                double s = 0.0;
                for (int j = 0; j < k; j++) {
                    s += g[i * k + j] * w.get(l, j);
                }
                dx[i * d + l] = s;
            }
        }
        this.loss = f;
        this.dW = new Matrix(d, k, dw);
        this.dX = new Matrix(n, d, dx);
        this.dY = new Matrix(n, k, dy);
    }

    /** ‖a − b‖_F / max(‖b‖_F, tiny): the normwise relative difference. */
    public static double relativeError(Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new AssertionError("shapes differ: " + a.rows() + "x" + a.cols() + " vs " + b.rows() + "x" + b.cols());
        }
        double diff = 0.0;
        double norm = 0.0;
        for (int i = 0; i < a.values().length; i++) {
            double e = a.values()[i] - b.values()[i];
            diff += e * e;
            norm += b.values()[i] * b.values()[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
    }

    /** The matrix of {@code --generate}'s stream seed {@code seed}: {@link #random} of a SplittableRandom(seed). */
    public static Matrix generated(long seed, int rows, int cols) {
        return random(new java.util.SplittableRandom(seed), rows, cols);
    }

    /** Uniform random matrix in [−1, 1) from {@code random}: entry i is 2u − 1, u its i-th nextDouble. */
    public static Matrix random(java.util.random.RandomGenerator random, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * random.nextDouble() - 1;
        }
        return new Matrix(rows, cols, v);
    }
}
