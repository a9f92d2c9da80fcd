package org.relugrad.internal.check;

import org.relugrad.NaiveGradient;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/** 10⁶ synthetic rows, d = k = 4 (square, so dW can be transposed), and their gradient by the naive float64 loop. */
final class LargeCase {
    static final int N = 1_000_000;
    static final int D = 4;
    static final int K = 4;
    static final long SEED = 11;
    private static NaiveGradient reference;

    private LargeCase() {
    }

    static SyntheticInput input() {
        return new SyntheticInput(N, D, K, SEED);
    }

    static synchronized NaiveGradient reference() {
        if (reference == null) {
            SyntheticInput input = input();
            Matrix w = input.open(null);
            RowBlock all = input.read(0, N);
            reference = new NaiveGradient(new Matrix(N, D, all.x()), w, new Matrix(N, K, all.y()));
        }
        return reference;
    }
}
