package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.internal.engine.CacheFit;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.kernel.Output;

/**
 * Cached blocks that do not fit in memory: one line says how much spilled and what to raise. Spark is given 512 MiB
 * as if it were its heap, of which it keeps (512 − 300) MiB × 0.6 ≈ 127 MiB for blocks and execution.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheSpillTest {
    private static final long HEAP = 512L << 20;
    private static final long RESERVED = 300L << 20;
    private static final double FRACTION = 0.6;
    /** 600 000 rows of d + k = 32 doubles: 153.6 MB, more than Spark has for them. */
    private static final int N = 600_000;
    private static final int D = 16;
    private static final int K = 16;

    private JavaSparkContext sc;

    @BeforeAll
    void startSpark() {
        sc = new JavaSparkContext(new SparkConf()
                .setMaster("local[2]")
                .setAppName(getClass().getSimpleName())
                .set("spark.testing.memory", Long.toString(HEAP))
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    @Test
    void blocksBeyondSparksMemoryAreReportedAsSpilledWithAHeapThatWouldHoldThemAll() {
        CacheFit fit = fitOf(new SyntheticInput(N, D, K, 3), 8);
        long raw = 8L * N * (D + K);
        assertTrue(fit.cachedBytes() >= raw && fit.cachedBytes() <= raw * 1.02, fit + " vs " + raw + " bytes of rows");
        assertTrue(fit.spilledBytes() > 0 && fit.spilledBytes() < fit.cachedBytes(), fit.toString());
        assertTrue(fit.local());
        // Spark's unified memory: (heap − reserved) × spark.memory.fraction holds cached blocks.
        assertTrue((fit.memoryToFit() - RESERVED) * FRACTION >= fit.cachedBytes(), fit.toString());
        assertEquals(0, fit.memoryToFit() % (1L << 30), "whole GiB");
    }

    @Test
    void blocksThatFitAreAllInMemory() {
        CacheFit fit = fitOf(new SyntheticInput(5003, 7, 5, 11), 3);
        assertEquals(0, fit.spilledBytes());
        assertTrue(fit.fits());
        assertTrue(fit.cachedBytes() >= 8L * 5003 * 12, fit.toString());
    }

    @Test
    void aSpillingRunPrintsOneLineWithTheSizesAndTheDriverMemoryToGive() {
        CliRun run = CliRun.of(sc, "grad", "--generate", N + "," + D + "," + K + ",3", "--repeat", "2",
                "--outputs", "loss,dW", "--partitions", "8");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).matches("relugrad: \\d+ MB of 15[4-6] MB of cached blocks did not fit in memory and "
                + "are read from disk each iteration; give --driver-memory 1g"), lines.get(0));
    }

    @Test
    void sizesReadAsMegabytesBelowAGigabyteAndAsGigabytesAbove() {
        assertEquals("612 MB", GradCommand.size(612_300_000L));
        assertEquals("1 MB", GradCommand.size(20_000L));
        assertEquals("1.0 GB", GradCommand.size(1_024_000_000L));
        assertEquals("12.5 GB", GradCommand.size(12_460_000_000L));
    }

    private CacheFit fitOf(SyntheticInput input, int partitions) {
        GradientJob job = new GradientJob(sc);
        PreparedInput cached = job.cache(job.prepare(input, partitions, 4096));
        try {
            job.run(cached, EnumSet.of(Output.LOSS, Output.DW), null);
            return job.cacheFit(cached);
        } finally {
            job.release(cached);
        }
    }
}
