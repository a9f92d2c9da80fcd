package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.Matrix;

/**
 * The runs the multi-host tests compare: one synthetic input in fixed partitions, so every complete run writes the
 * same bits, in local mode (the reference, itself checked against the naive float64 loop) and on a cluster of hosts
 * with a client-mode driver in the root namespace.
 */
final class HostRuns {
    static final int N = 800_000;
    static final int D = 16;
    static final int K = 16;
    static final long SEED = 11;
    static final int PARTITIONS = 12;
    private static final List<String> INPUT =
            List.of("--generate", N + "," + D + "," + K + "," + SEED, "--partitions", Integer.toString(PARTITIONS));

    private final Path root;
    private final Path work;
    private final LocalCluster cluster;
    private final List<String> settings;
    private final List<Submission> submitted = new ArrayList<>();

    /** {@code settings}: spark-submit options every cluster run gets. */
    HostRuns(Path root, Path work, LocalCluster cluster, List<String> settings) {
        this.root = root;
        this.work = work;
        this.cluster = cluster;
        this.settings = settings;
    }

    /**
     * Starts a run on the cluster with the settings every run gets, its driver in the root namespace, where the
     * launcher gives it the address on the way to the master: the bridge's.
     */
    Submission submit(String name, String... extra) throws IOException {
        List<String> args = new ArrayList<>(settings);
        args.addAll(List.of(extra));
        return submitAsTyped(name, args.toArray(String[]::new));
    }

    /** Starts {@code scripts/relugrad grad --generate ... --partitions ... EXTRA --master URL}, and nothing else. */
    Submission submitAsTyped(String name, String... extra) throws IOException {
        List<String> args = new ArrayList<>(INPUT);
        args.addAll(List.of(extra));
        args.addAll(List.of("--master", cluster.masterUrl()));
        return add(Submission.start(root, work, work.resolve(name), args, cluster.tmp()));
    }

    /** Starts the manual's plain spark-submit command (clusters.md) with {@code sparkOptions} (see {@link Submission#sparkSubmit}). */
    Submission sparkSubmit(String name, String... sparkOptions) throws IOException {
        return add(Submission.sparkSubmit(root, work, work.resolve(name), List.of(sparkOptions), INPUT,
                cluster.tmp()));
    }

    /** The same input in local mode, checked against the naive float64 loop on X, W, Y drawn from the JDK. */
    RunOutput local() throws Exception {
        List<String> args = new ArrayList<>(INPUT);
        args.addAll(List.of("--master", "local[2]"));
        RunOutput run = new RunOutput(add(Submission.start(root, work, work.resolve("local"), args, cluster.tmp()))
                .succeeds().out());
        NaiveGradient expected = new NaiveGradient(NaiveGradient.generated(SEED, N, D), w(),
                NaiveGradient.generated(SEED + 2, N, K));
        double loss = run.summary().get("loss").asDouble();
        assertTrue(Math.abs(loss - expected.loss) <= 1e-12 * expected.loss, loss + " vs " + expected.loss);
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(run.dir().resolve("dW.csv")), expected.dW) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(run.dir(), "dX", N, D), expected.dX) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(run.dir(), "dY", N, K), expected.dY) <= 1e-12);
        return run;
    }

    /** The input's W, as --generate makes it (stream seed SEED + 1). */
    static Matrix w() {
        return NaiveGradient.generated(SEED + 1, D, K);
    }

    private Submission add(Submission s) {
        submitted.add(s);
        return s;
    }

    /** Ends every run still going, for cleanup after a failed test. */
    void killAll() {
        submitted.forEach(Submission::kill);
        submitted.clear();
    }

    /**
     * Whether the run is mid-job: more attempt files than executors (so a task has ended) and at most half of the
     * tasks begun, the run not over.
     */
    static boolean midJob(Submission run, int executors) {
        try {
            long started = run.attemptFiles("dY");
            return started > executors && started <= PARTITIONS / 2
                    && !Files.exists(run.out().resolve("summary.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of dX and dY exactly once, and loss, dW, dX and dY the same bits as {@code expected}'s. */
    static void assertCompleteAndIdentical(RunOutput result, RunOutput expected) throws IOException {
        result.assertEveryRowOnce("dX", N, D);
        result.assertEveryRowOnce("dY", N, K);
        result.assertSameBitsAs(expected);
    }
}
