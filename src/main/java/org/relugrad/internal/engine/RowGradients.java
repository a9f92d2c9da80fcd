package org.relugrad.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.relugrad.internal.kernel.BlockGradient;
import org.relugrad.internal.kernel.BlockKernel;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;

/**
 * ∂f/∂X and ∂f/∂Y row by row, as a Dataset that Spark computes when it is used: each partition runs the block
 * kernel over its blocks and hands out one row (row, dX, dY) per input row, the same bits as {@code grad} writes.
 */
public final class RowGradients {
    /** The schema: {@code row} (bigint, the 0-based input row), {@code dX} and {@code dY} ({@code array<double>}). */
    public static final StructType SCHEMA = new StructType()
            .add("row", DataTypes.LongType, false)
            .add("dX", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("dY", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    private RowGradients() {
    }

    /**
     * The rows of ∂f/∂X and ∂f/∂Y at {@code w}, planned, not computed. W (small) travels in the tasks' closure,
     * so nothing is left to destroy when the Dataset is dropped.
     *
     * @param b the bias, k values, or null for none
     * @throws IllegalArgumentException when W is not d × k or b not k values, naming the shapes
     */
    public static Dataset<Row> of(SparkSession spark, PreparedInput input, Matrix w, double[] b) {
        GradientJob.requireShape(input, w, b);
        Matrix withB = b == null ? w : w.withRow(b);
        boolean bias = b != null;
        JavaRDD<Row> rows = input.blocks().mapPartitions(blocks -> perRow(blocks, withB, bias));
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Iterator<Row> perRow(Iterator<RowBlock> blocks, Matrix w, boolean bias) {
        BlockKernel kernel = new BlockKernel(w, bias, EnumSet.of(Output.DX, Output.DY));
        int d = w.rows() - (bias ? 1 : 0);
        return new Iterator<>() {
            private Iterator<Row> block = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!block.hasNext() && blocks.hasNext()) {
                    block = rows(kernel.apply(blocks.next()), d, w.cols()).iterator();
                }
                return block.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return block.next();
            }
        };
    }

    /** A block's rows, copied out of the kernel's buffers, which its next block overwrites. */
    private static List<Row> rows(BlockGradient g, int d, int k) {
        List<Row> rows = new ArrayList<>(g.rows());
        for (int r = 0; r < g.rows(); r++) {
            rows.add(RowFactory.create(g.firstRow() + r, Arrays.copyOfRange(g.dX(), r * d, (r + 1) * d),
                    Arrays.copyOfRange(g.dY(), r * k, (r + 1) * k)));
        }
        return rows;
    }
}
