package org.relugrad.internal.fit;

import breeze.linalg.DenseVector;

/** Between Java's double[] and Breeze's DenseVector[Double] (a DenseVector&lt;Object&gt; to Java). */
final class Vectors {
    private Vectors() {
    }

    /** Wraps {@code values} (not copied). */
    @SuppressWarnings("unchecked")
    static DenseVector<Object> of(double[] values) {
        return (DenseVector<Object>) (DenseVector<?>) new DenseVector<>(values);
    }

    /** The vector's values in order: its own array when it is a whole contiguous array, else a copy. */
    static double[] values(DenseVector<Object> v) {
        double[] data = (double[]) v.data();
        if (v.offset() == 0 && v.stride() == 1 && v.length() == data.length) {
            return data;
        }
        double[] copy = new double[v.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = data[v.offset() + i * v.stride()];
        }
        return copy;
    }
}
