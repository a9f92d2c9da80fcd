package org.relugrad.internal.engine.numbered;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRows;
import scala.Tuple2;

/**
 * An RDD's rows as numbered rows of X and Y: each element a pair (a row of X, the same row of Y), rows numbered by
 * their place in the RDD (partition after partition, as {@code zipWithIndex} numbers them). Only the first row
 * comes to the driver, whose widths give d and k.
 */
public final class PairRows {
    static final String SOURCE = "RDD";

    private PairRows() {
    }

    /**
     * @param rows (x, y) pairs, in an order that is the same each time Spark computes them
     * @throws InputException for an RDD with no rows, or a first row without values
     */
    public static NumberedChunks of(JavaRDD<Tuple2<double[], double[]>> rows) {
        List<Tuple2<double[], double[]>> first = rows.take(1);
        if (first.isEmpty()) {
            throw new InputException(SOURCE, 0, "has no rows");
        }
        int d = width(first.get(0)._1(), "x");
        int k = width(first.get(0)._2(), "y");
        RowChunks.Names names = new RowChunks.Names(SOURCE, "x", "y", 0);
        JavaRDD<NumberedRows> chunks = rows.zipWithIndex().mapPartitions(
                (Iterator<Tuple2<Tuple2<double[], double[]>, Long>> part) -> new RowChunks(DatasetRows.map(part,
                        t -> new RowChunks.Row(t._2(), t._1()._1(), t._1()._2())), names, d, k));
        return new NumberedChunks(chunks, rows.count(), d, k, "RDD of (x, y) rows",
                problem -> new InputError(SOURCE, 0, problem));
    }

    private static int width(double[] values, String name) {
        if (values == null || values.length == 0) {
            throw new InputException(InputError.atRow(SOURCE, 0, name + (values == null ? " is null" : " has no values")));
        }
        return values.length;
    }
}
