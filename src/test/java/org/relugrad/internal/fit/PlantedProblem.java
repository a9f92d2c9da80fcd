package org.relugrad.internal.fit;

import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;

/**
 * The planted problem of src/test/resources/fit/planted.py, made the same way, bit for bit: X, W*, the noise N and
 * the perturbation P are streams seed … seed+3 of the synthetic generator, Y = max(XW*, 0) + 0.01·N (XW* summed
 * over d in order), W0 = W* + 0.3·P.
 */
public final class PlantedProblem {
    public final Matrix x;
    public final Matrix y;
    public final Matrix wStar;
    public final Matrix w0;
    /** With a bias (planted_bias.py): b* and b0; null without. */
    public final double[] bStar;
    public final double[] b0;

    public PlantedProblem(int n, int d, int k, long seed) {
        this(n, d, k, seed, false);
    }

    /** @param bias whether Y has a bias b* (stream seed+4) and b0 = b* + 0.3·Q (Q stream seed+5), as planted_bias.py */
    public PlantedProblem(int n, int d, int k, long seed, boolean bias) {
        x = stream(seed, n, d);
        wStar = stream(seed + 1, d, k);
        Matrix noise = stream(seed + 2, n, k);
        Matrix p = stream(seed + 3, d, k);
        bStar = bias ? stream(seed + 4, 1, k).values() : null;
        double[] q = bias ? stream(seed + 5, 1, k).values() : null;
        b0 = bias ? new double[k] : null;
        for (int j = 0; bias && j < k; j++) {
            b0[j] = bStar[j] + 0.3 * q[j];
        }
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double z = 0.0;
                for (int l = 0; l < d; l++) {
                    z += x.get(i, l) * wStar.get(l, j);
                }
                if (bias) {
                    z += bStar[j];
                }
                y[i * k + j] = Math.max(z, 0.0) + 0.01 * noise.get(i, j);
            }
        }
        this.y = new Matrix(n, k, y);
        double[] w0 = new double[d * k];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = wStar.values()[i] + 0.3 * p.values()[i];
        }
        this.w0 = new Matrix(d, k, w0);
    }

    /** The problem of planted.py and planted_scipy.json: n = 2·10⁵, d = 8, k = 4, seed 14. */
    public static PlantedProblem ofScipyReference() {
        return new PlantedProblem(200_000, 8, 4, 14);
    }

    /** The problem of planted_bias.py and planted_bias_scipy.json: n = 2·10⁵, d = 8, k = 4, seed 21, a bias. */
    public static PlantedProblem ofScipyBiasReference() {
        return new PlantedProblem(200_000, 8, 4, 21, true);
    }

    private static Matrix stream(long seed, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = SyntheticInput.entry(seed, i);
        }
        return new Matrix(rows, cols, v);
    }
}
