package org.relugrad.internal.io.out;

import java.util.Locale;

/** How an output folder stores ∂f/∂X, ∂f/∂Y (one part per partition, or one file) and ∂f/∂W. */
public enum OutputFormat {
    /** Lines {@code row,v1,...}; dW.csv. */
    CSV("csv"),
    /** float64 .npy files in C order, rows in input order, no row index; dW.npy. */
    NPY("npy"),
    /** Parquet tables with a {@code row} column and the gradient's row as array&lt;double&gt;; dW.csv. */
    PARQUET("parquet");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension of its parts: csv, npy, parquet. */
    public String extension() {
        return extension;
    }

    /** Parses csv, npy or parquet (any case). */
    public static OutputFormat parse(String name) {
        for (OutputFormat f : values()) {
            if (f.extension.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown --format '" + name + "': expected csv, npy or parquet");
    }
}
