package org.relugrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Success$;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.out.OutputFolder;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;
import org.relugrad.internal.kernel.Output;

/**
 * A task that dies half-way (after writing some rows) and is retried changes nothing: the same bits for loss and
 * dW, and every row of dX and dY exactly once, the naive float64 loop's values.
 */
class TaskRetryTest extends SharedSpark {
    @TempDir
    Path tmp;

    @Override
    protected String master() {
        return "local[2,4]";
    }

    /** Synthetic rows whose first attempt at each partition's second block crashes, as a lost executor would. */
    static final class CrashingOnce implements RowRangeInput {
        private static final long serialVersionUID = 1L;
        private final SyntheticInput rows;
        private final int blockRows;

        CrashingOnce(SyntheticInput rows, int blockRows) {
            this.rows = rows;
            this.blockRows = blockRows;
        }

        @Override
        public Matrix open(Configuration conf) {
            return rows.open(conf);
        }

        @Override
        public long rows() {
            return rows.rows();
        }

        @Override
        public RowBlock read(long firstRow, int count) {
            TaskContext task = TaskContext.get();
            long blocksBefore = firstRow / blockRows;
            if (task.attemptNumber() == 0 && blocksBefore % 3 == 1) {
                throw new IllegalStateException("simulated crash in task " + task.partitionId());
            }
            return rows.read(firstRow, count);
        }

        @Override
        public String describe() {
            return "crashing once: " + rows.describe();
        }
    }

    private record Out(GradientResult result, Matrix dX, Matrix dY) {
    }

    private Out run(RowRangeInput input, String name) {
        Path dir = tmp.resolve(name);
        OutputFolder folder = OutputFolder.create(dir.toString(), false, sc.hadoopConfiguration());
        GradientJob job = new GradientJob(sc);
        GradientResult r = job.run(job.prepare(input, 3, 100), EnumSet.allOf(Output.class), folder);
        folder.finish(java.util.Map.of("loss", r.loss()));
        return new Out(r, OutputFiles.perRow(dir, "dX", r.rows(), r.d()), OutputFiles.perRow(dir, "dY", r.rows(), r.k()));
    }

    private static void assertRelative(Matrix expected, Matrix actual, String what) {
        double e = NaiveGradient.relativeError(actual, expected);
        assertTrue(e <= 1e-12, what + ": normwise relative error to the naive loop " + e);
    }

    @Test
    void retriedTasksLeaveTheSameBitsAndEveryRowOnce() throws Exception {
        SyntheticInput data = new SyntheticInput(1_950, 5, 3, 11);
        Out clean = run(data, "clean");

        AtomicInteger failures = new AtomicInteger();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    failures.incrementAndGet();
                }
            }
        });
        Out retried = run(new CrashingOnce(data, 100), "retried");

        assertEquals(true, failures.get() >= 2, "tasks that crashed: " + failures.get());
        assertEquals(Double.doubleToRawLongBits(clean.result().loss()), Double.doubleToRawLongBits(retried.result().loss()));
        assertArrayEquals(clean.result().dW().values(), retried.result().dW().values());
        assertArrayEquals(clean.dX().values(), retried.dX().values());
        assertArrayEquals(clean.dY().values(), retried.dY().values());
        // Equal bits could be equally wrong: the retried run against the naive float64 loop over the same rows,
        // made from the JDK's SplittableRandom as --generate documents (X seed 11, W 12, Y 13).
        NaiveGradient naive = new NaiveGradient(NaiveGradient.generated(11, 1_950, 5),
                NaiveGradient.generated(12, 5, 3), NaiveGradient.generated(13, 1_950, 3));
        double loss = retried.result().loss();
        assertTrue(Math.abs(loss - naive.loss) <= 1e-12 * naive.loss, loss + " vs " + naive.loss);
        assertRelative(naive.dW, retried.result().dW(), "dW");
        assertRelative(naive.dX, retried.dX(), "dX");
        assertRelative(naive.dY, retried.dY(), "dY");
        try (var left = Files.walk(tmp.resolve("retried"))) {
            assertEquals(0, left.filter(p -> p.toString().contains("attempt")).count(), "attempt files left behind");
        }
        try (var parts = Files.list(tmp.resolve("retried").resolve("dX"))) {
            assertEquals(3, parts.count(), "one dX part per partition");
        }
    }
}
