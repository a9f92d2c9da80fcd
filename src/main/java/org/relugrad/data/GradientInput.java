package org.relugrad.data;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.math.Matrix;

/**
 * Where X, Y and W come from. W is small and read on the driver; X and Y are read by the tasks, in one of the two
 * ways the job knows: {@link RowRangeInput} (any row range can be read directly) or {@link ParquetInput} (a table
 * the job reads through Spark SQL).
 */
public interface GradientInput extends Serializable {

    /**
     * On the driver: checks that the input is there and returns W (d × k).
     *
     * @throws InputException for anything the user must fix
     */
    Matrix open(Configuration conf);

    /** A short description for summaries, e.g. the file names or the generator's parameters. */
    String describe();
}
