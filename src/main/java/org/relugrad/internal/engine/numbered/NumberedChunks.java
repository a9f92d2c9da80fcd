package org.relugrad.internal.engine.numbered;

import org.relugrad.internal.engine.GradientJob;

import org.apache.spark.api.java.JavaRDD;
import org.relugrad.internal.io.NumberedRows;

/**
 * Rows of X and Y that come numbered, in chunks, in any order and partitioning, for
 * {@link GradientJob#prepare(NumberedChunks, org.relugrad.Blocking)}: made by {@link DatasetRows} and {@link PairRows}.
 */
public final class NumberedChunks {
    private final JavaRDD<NumberedRows> chunks;
    private final long rows;
    private final int d;
    private final int k;
    private final String description;
    private final NumberedBlocks.Misnumbered misnumbered;

    NumberedChunks(JavaRDD<NumberedRows> chunks, long rows, int d, int k, String description,
                   NumberedBlocks.Misnumbered misnumbered) {
        this.chunks = chunks;
        this.rows = rows;
        this.d = d;
        this.k = k;
        this.description = description;
        this.misnumbered = misnumbered;
    }

    public JavaRDD<NumberedRows> chunks() {
        return chunks;
    }

    /** n. */
    public long rows() {
        return rows;
    }

    public int d() {
        return d;
    }

    public int k() {
        return k;
    }

    public String describe() {
        return description;
    }

    public NumberedBlocks.Misnumbered misnumbered() {
        return misnumbered;
    }
}
