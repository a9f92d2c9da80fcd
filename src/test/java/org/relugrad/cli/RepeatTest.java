package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/**
 * grad --repeat R: the blocks are read once and kept, the gradient is computed R times, and what is written is
 * what one run writes, to the bit.
 */
class RepeatTest extends SharedSpark {
    private static final String GENERATE = "5003,7,5,11";

    @TempDir
    Path tmp;

    private record Written(JsonNode summary, Matrix dW, Matrix dX, Matrix dY) {
    }

    private Written grad(String name, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("grad", "--generate", GENERATE, "--out", out.toString(),
                "--partitions", "3", "--block-rows", "256"));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(sc, args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        boolean perRow = Files.exists(out.resolve("dX"));
        return new Written(summary, Fixture.matrixAt(out.resolve("dW.csv")),
                perRow ? OutputFiles.perRow(out, "dX", 5003, 7) : null,
                perRow ? OutputFiles.perRow(out, "dY", 5003, 5) : null);
    }

    private static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.doubleToRawLongBits(values[i]);
        }
        return out;
    }

    @ParameterizedTest(name = "R={0}")
    @ValueSource(ints = {1, 4})
    void repeatedRunsWriteTheSameBitsAsOneRunAndMatchTheNaiveLoop(int repeat) throws Exception {
        Written once = grad("once-" + repeat);
        Written repeated = grad("repeated-" + repeat, "--repeat", Integer.toString(repeat));
        assertEquals(Double.doubleToRawLongBits(once.summary().get("loss").asDouble()),
                Double.doubleToRawLongBits(repeated.summary().get("loss").asDouble()), "loss bits");
        assertArrayEquals(bits(once.dW().values()), bits(repeated.dW().values()), "dW bits");
        assertArrayEquals(bits(once.dX().values()), bits(repeated.dX().values()), "dX bits");
        assertArrayEquals(bits(once.dY().values()), bits(repeated.dY().values()), "dY bits");

        NaiveGradient naive = naive();
        double loss = repeated.summary().get("loss").asDouble();
        assertTrue(Math.abs(loss - naive.loss) <= 1e-12 * naive.loss, loss + " vs " + naive.loss);
        assertTrue(NaiveGradient.relativeError(repeated.dW(), naive.dW) <= 1e-12, "dW");
        assertTrue(NaiveGradient.relativeError(repeated.dX(), naive.dX) <= 1e-12, "dX");
        assertTrue(NaiveGradient.relativeError(repeated.dY(), naive.dY) <= 1e-12, "dY");
    }

    /**
     * The reference for GENERATE: the naive loop over the matrices of --generate's streams, made here from the
     * JDK's SplittableRandom as the generator documents (X seed 11, W 12, Y 13), not by relugrad's generator.
     */
    private static NaiveGradient naive() {
        return new NaiveGradient(NaiveGradient.generated(11, 5003, 7), NaiveGradient.generated(12, 7, 5),
                NaiveGradient.generated(13, 5003, 5));
    }

    private static List<String> phases(JsonNode summary) {
        List<String> names = new ArrayList<>();
        summary.get("seconds").fieldNames().forEachRemaining(names::add);
        summary.get("seconds").forEach(t -> assertTrue(t.isNumber(), summary.get("seconds").toString()));
        return names;
    }

    @ParameterizedTest(name = "R={0}")
    @ValueSource(ints = {2, 5})
    void summaryGivesOneWallTimePerIterationAndTheCachePhaseAndTheNaiveLoopsResult(int repeat) throws Exception {
        Written written = grad("times-" + repeat, "--repeat", Integer.toString(repeat), "--outputs", "loss,dW");
        JsonNode summary = written.summary();
        assertEquals(repeat, summary.get("repeat").asInt());
        JsonNode times = summary.get("iterationSeconds");
        assertEquals(repeat, times.size(), times.toString());
        times.forEach(t -> assertTrue(t.isNumber(), times.toString()));
        // The phases the manual lists (src/site/markdown/inputs-and-outputs.md), with cache (reading the blocks into memory) as --repeat keeps them.
        assertEquals(List.of("sparkStart", "prepare", "cache", "compute", "commit", "write", "total"),
                phases(summary));
        NaiveGradient naive = naive();
        double loss = summary.get("loss").asDouble();
        assertTrue(Math.abs(loss - naive.loss) <= 1e-12 * naive.loss, loss + " vs " + naive.loss);
        assertTrue(NaiveGradient.relativeError(written.dW(), naive.dW) <= 1e-12, "dW");
    }

    @Test
    void aSingleRunGivesOneIterationAndNoCachePhase() throws Exception {
        JsonNode single = grad("single", "--outputs", "loss,dW").summary();
        assertEquals(1, single.get("repeat").asInt(), single.toString());
        assertEquals(1, single.get("iterationSeconds").size(), single.toString());
        assertEquals(List.of("sparkStart", "prepare", "compute", "commit", "write", "total"), phases(single),
                "a single run caches nothing");
    }

    @Test
    void withoutOutTheNamedPerRowGradientsAreComputedButNotPrinted() {
        CliRun run = CliRun.of(sc, "grad", "--generate", GENERATE, "--outputs", "loss,dW,dX,dY", "--repeat", "2");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("they were computed and discarded"), run.out());
        assertFalse(run.out().contains("dX = "), run.out());
        assertTrue(run.out().contains("iteration seconds: ["), run.out());
    }

    @ParameterizedTest(name = "--repeat {0}")
    @ValueSource(strings = {"0", "-3", "two", ""})
    void aRepeatCountBelowOneOrNotANumberIsAUsageError(String repeat) {
        Path out = tmp.resolve("bad");
        CliRun run = CliRun.of(sc, "grad", "--generate", GENERATE, "--repeat", repeat, "--out", out.toString());
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("--repeat"), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
