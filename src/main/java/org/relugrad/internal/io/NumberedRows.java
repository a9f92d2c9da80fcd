package org.relugrad.internal.io;

import java.io.Serializable;

/**
 * Some rows of X and Y with their row numbers, in no particular order: {@code count} rows, row i numbered
 * {@code numbers[i]}, its values at {@code x[i·d …]} and {@code y[i·k …]}; or, instead, the first bad value met.
 */
public final class NumberedRows implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int count;
    public final long[] numbers;
    public final double[] x;
    public final double[] y;
    public final InputError error;

    public NumberedRows(int count, long[] numbers, double[] x, double[] y) {
        this.count = count;
        this.numbers = numbers;
        this.x = x;
        this.y = y;
        this.error = null;
    }

    public NumberedRows(InputError error) {
        this.count = 0;
        this.numbers = new long[0];
        this.x = new double[0];
        this.y = new double[0];
        this.error = error;
    }
}
