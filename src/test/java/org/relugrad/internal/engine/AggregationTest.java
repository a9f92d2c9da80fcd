package org.relugrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.internal.kernel.Output;
import org.relugrad.internal.kernel.RowBlock;

/**
 * The three aggregation paths (driver, tree, sliced) give f and ∂f/∂W the same bits, for partition counts below and
 * far above the block count (most tasks then have no rows), and agree with a naive float64 loop.
 */
class AggregationTest extends SharedSpark {

    @AfterEach
    void forgetPath() {
        sc.setLocalProperty(Aggregation.SETTING, null);
    }

    private GradientResult run(RowRangeInput input, Matrix w, int partitions, int blockRows, String path) {
        sc.setLocalProperty(Aggregation.SETTING, path);
        GradientJob job = new GradientJob(sc);
        return job.run(job.prepare(input, partitions, blockRows), w, EnumSet.of(Output.LOSS, Output.DW), null);
    }

    @ParameterizedTest(name = "P={0}, B={1}")
    @CsvSource({"1, 500", "3, 500", "7, 128", "40, 700", "200, 2000"})
    void everyPathGivesTheSameBitsAsTheDriverPathAndTheNaiveLoopsValues(int partitions, int blockRows) {
        int n = 3_001;
        int d = 33;
        int k = 21;
        SyntheticInput input = new SyntheticInput(n, d, k, 7);
        Matrix w = NaiveGradient.random(new Random(3), d, k);
        GradientResult driver = run(input, w, partitions, blockRows, "driver");
        assertEquals("driver", driver.aggregation());
        for (String path : new String[] {"tree", "sliced"}) {
            GradientResult other = run(input, w, partitions, blockRows, path);
            assertEquals(path, other.aggregation());
            assertEquals(Double.doubleToRawLongBits(driver.loss()), Double.doubleToRawLongBits(other.loss()),
                    path + ": loss bits");
            assertArrayEquals(bits(driver.dW()), bits(other.dW()), path + ": dW bits");
        }
        RowBlock all = input.read(0, n);
        NaiveGradient naive = new NaiveGradient(new Matrix(n, d, all.x()), w, new Matrix(n, k, all.y()));
        assertEquals(naive.loss, driver.loss(), 1e-12 * Math.abs(naive.loss));
        assertTrue(NaiveGradient.relativeError(naive.dW, driver.dW()) < 1e-12,
                "dW against the naive loop: " + NaiveGradient.relativeError(naive.dW, driver.dW()));
    }

    private static long[] bits(Matrix m) {
        long[] out = new long[m.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.doubleToRawLongBits(m.values()[i]);
        }
        return out;
    }
}
