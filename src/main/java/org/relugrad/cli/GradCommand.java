package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import org.relugrad.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.relugrad.Blocking;
import org.relugrad.internal.io.out.CollectedRows;
import org.relugrad.internal.io.DiscardedRows;
import org.relugrad.internal.io.DiskFull;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.out.OutputFolder;
import org.relugrad.internal.io.out.OutputFormat;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.engine.CacheFit;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.engine.Progress;
import org.relugrad.internal.cluster.RunFailure;
import org.relugrad.internal.cluster.SparkRuntime;
import org.relugrad.internal.kernel.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code relugrad grad}: f and its gradients for one input, printed or written to a folder. */
@Command(name = "grad", mixinStandardHelpOptions = true, version = Main.VERSION, sortOptions = false, usageHelpWidth = 110,
        description = {
            "Loss and gradients of f = ||max(XW + b, 0) - Y||_F^2 (float64, summed exactly; b only with --b):",
            "  dW = X^T G,  db = 1^T G,  dX = G W^T,  dY = -2R,  where R = max(XW + b, 0) - Y and",
            "  G = 2R * 1[XW + b > 0]",
            "  (ReLU'(0) = 0, as in torch.nn.ReLU).",
            "Input: --x/--y/--w .npy or CSV files, --generate, or neither: the built-in 10-row example."},
        footer = {"", "Spark's options (--master, --conf, --driver-memory, ...) are taken by the launcher, "
                + "scripts/relugrad, and may stand anywhere on its line."})
final class GradCommand implements Callable<Integer> {
    /** Up to this many rows, dX and dY are printed when no --out is given. */
    static final int PRINT_ROWS = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write summary.json, dW, db, dX and dY to DIR (any Hadoop path) instead of printing")
    String out;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, npy or parquet: how DIR holds dW, dX and dY (default: the input's format; csv for "
                    + "--generate and the example)")
    String format;

    @Option(names = "--single-file",
            description = "with npy: one DIR/dX.npy and DIR/dY.npy for all rows, instead of one part per partition")
    boolean singleFile;

    @Option(names = "--overwrite", description = "replace DIR if it exists")
    boolean overwrite;

    @Mixin
    PartitionsOption partitions;

    @Mixin
    BlockRowsOption blockRows;

    @Option(names = "--outputs", paramLabel = "LIST",
            description = {"what to compute and write, from loss,dW,db,dX,dY (default: all; db with --b); without --out and for "
                + "n > 100, dX and dY named here are computed but not printed"})
    String outputs = "loss,dW,dX,dY";

    @Option(names = "--repeat", paramLabel = "R",
            description = {"read the blocks once, keep them in memory (spilling to disk), then compute the gradient "
                + "R times, as a training loop's inner step; summary.json gives each time, the outputs are the last's"})
    Integer repeat;

    @Option(names = "--print", paramLabel = "HOW",
            description = "without --out: 'summary' (default) summarizes matrices wider than the terminal (COLUMNS) "
                    + "or of more than 1000 values as NumPy does; 'full' prints every value")
    String print = "summary";

    @Mixin
    ProgressOption progress;

    @Option(names = "--verbose", description = "stack traces on failure")
    boolean verbose;

    private final Supplier<SparkRuntime> spark;
    /** The bias --b names, once the input is prepared (k known); null without --b. */
    private double[] b;
    /** With --repeat, once the blocks are cached: where Spark keeps them and their size, for summary.json. */
    private CacheFit cacheFit;

    GradCommand(Supplier<SparkRuntime> spark) {
        this.spark = spark;
    }

    @Override
    public Integer call() {
        RowRangeInput input = inputOptions.input();
        EnumSet<Output> wanted = OutputsOption.withBias(OutputsOption.parse(outputs), inputOptions.bFile != null,
                spec.commandLine().getParseResult().hasMatchedOption("--outputs"));
        Blocking blocking = new Blocking(partitions.count(), blockRows.rowsPerBlock());
        if (repeat != null && repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, was " + repeat);
        }
        if (overwrite && out == null) {
            throw new IllegalArgumentException("--overwrite goes with --out");
        }
        int lineWidth = lineWidth();
        progress.check();
        if ((format != null || singleFile) && out == null) {
            throw new IllegalArgumentException((singleFile ? "--single-file" : "--format") + " goes with --out");
        }
        OutputFormat outputFormat = format != null ? OutputFormat.parse(format) : inputOptions.format();
        if (singleFile && outputFormat != OutputFormat.NPY) {
            throw new IllegalArgumentException("--single-file goes with --format npy");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        Map<String, Double> seconds = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (SparkRuntime runtime = spark.get()) {
            seconds.put("sparkStart", since(start));
            GradientJob job = new GradientJob(runtime.context());
            try (Progress followed = Progress.attach(runtime.context());
                 ProgressLine line = progress.start(followed, spec.commandLine().getErr(), spec.commandLine().getOut())) {
                job.reportTo(followed);
                PreparedInput prepared = job.prepare(input, blocking);
                b = inputOptions.bias(prepared.k(), job.hadoopConfiguration());
                if (out != null) {
                    writeToFolder(runtime, job, prepared, input, outputFormat, wanted, seconds, start, stdout,
                            followed, line);
                } else {
                    print(job, prepared, input, wanted, stdout, lineWidth, followed, line);
                }
            }
        }
        return 0;
    }

    private void writeToFolder(SparkRuntime runtime, GradientJob job, PreparedInput prepared, RowRangeInput input,
                               OutputFormat outputFormat, EnumSet<Output> wanted, Map<String, Double> seconds,
                               long start, PrintWriter stdout, Progress followed, ProgressLine line) {
        OutputFolder folder = OutputFolder.create(out, overwrite, runtime.context().hadoopConfiguration(),
                outputFormat, singleFile);
        try {
            GradientResult result = compute(job, prepared, wanted, folder, followed, line);
            long writeStart = System.nanoTime();
            if (wanted.contains(Output.DW)) {
                folder.writeDW(result.dW());
            }
            if (wanted.contains(Output.DB)) {
                folder.writeDB(result.db());
            }
            seconds.putAll(result.phaseSeconds());
            seconds.put("write", since(writeStart));
            seconds.put("total", since(start));
            Map<String, Object> summary = summary(input, result, wanted, seconds, runtime, cacheFit);
            summary.put("format", outputFormat.extension() + (singleFile ? " (single file)" : ""));
            folder.finish(summary);
            close(line);
            stdout.println("loss = " + MatrixText.seventeenDigits(result.loss()) + "  (n = " + result.rows()
                    + ", d = " + result.d() + ", k = " + result.k() + "); wrote " + out);
        } catch (Throwable failure) {
            // Spark's job failures are checked exceptions thrown from Scala: catch everything, so that no failed
            // run leaves a folder behind.
            try {
                folder.abandon();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            if (DiskFull.is(failure)) {
                throw new RunFailure(out + ": no space left on its disk while writing the results (nothing was kept); "
                        + "free some space there, or give --out a folder on another disk", failure);
            }
            throw failure;
        }
    }

    /** Computes the gradient once, or --repeat times over cached blocks. */
    private GradientResult compute(GradientJob job, PreparedInput prepared, EnumSet<Output> outputs, RowSink sink,
                                   Progress followed, ProgressLine line) {
        if (repeat == null) {
            return job.run(prepared, prepared.w(), b, outputs, sink);
        }
        PreparedInput cached = job.cache(prepared, outputs);
        cacheFit = job.cacheFit(cached);
        reportSpill(cacheFit, line);
        try {
            return repeat(job, cached, outputs, sink, followed);
        } finally {
            job.release(cached);
        }
    }

    /**
     * Computes the gradient --repeat times over the same cached blocks, as a training loop's inner step would: every
     * run computes all of {@code outputs}; the runs before the last write no rows, the last writes to {@code sink}.
     * Returns the last run's result, with the wall time of every run.
     */
    private GradientResult repeat(GradientJob job, PreparedInput cached, Set<Output> outputs, RowSink sink,
                                  Progress followed) {
        List<Double> iterations = new ArrayList<>();
        GradientResult last = null;
        try {
            for (int i = 0; i < repeat; i++) {
                followed.iteration(i + 1, repeat);
                last = job.run(cached, cached.w(), b, outputs, i == repeat - 1 ? sink : new DiscardedRows());
                iterations.addAll(last.iterationSeconds());
            }
        } finally {
            followed.iteration(0, 0);
        }
        return last.withIterationSeconds(iterations);
    }

    /** One line on stderr when cached blocks spilled to disk, which slows every iteration: what to raise. */
    private void reportSpill(CacheFit fit, ProgressLine line) {
        if (!fit.fits()) {
            String message = "relugrad: " + size(fit.spilledBytes()) + " of "
                    + size(fit.cachedBytes()) + " of cached blocks did not fit in memory and are read "
                    + "from disk each iteration; give " + (fit.local() ? "--driver-memory " : "--executor-memory ")
                    + (fit.memoryToFit() >> 30) + "g";
            if (line != null) {
                line.printAbove(message);
            } else {
                spec.commandLine().getErr().println(message);
            }
        }
    }

    /** Ends the progress line before the results are printed. */
    static void close(ProgressLine line) {
        if (line != null) {
            line.close();
        }
    }

    /**
     * Prints f, ∂f/∂W, and ∂f/∂X and ∂f/∂Y for n ≤ {@value #PRINT_ROWS}. For larger n, ∂f/∂X and ∂f/∂Y are left out,
     * unless --outputs names them: then they are computed and discarded, which times them without writing them.
     */
    private void print(GradientJob job, PreparedInput prepared, RowRangeInput input, EnumSet<Output> wanted,
                       PrintWriter stdout, int lineWidth, Progress followed, ProgressLine line) {
        boolean perRow = prepared.rows() <= PRINT_ROWS;
        boolean computeUnprinted = !perRow && spec.commandLine().getParseResult().hasMatchedOption("--outputs");
        EnumSet<Output> computed = EnumSet.copyOf(wanted);
        if (!perRow && !computeUnprinted) {
            computed.removeAll(EnumSet.of(Output.DX, Output.DY));
        }
        CollectedRows rows = new CollectedRows();
        GradientResult result = compute(job, prepared, computed, perRow ? rows : new DiscardedRows(), followed, line);
        close(line);
        stdout.println(input.describe());
        stdout.println("n = " + result.rows() + ", d = " + result.d() + ", k = " + result.k());
        stdout.println();
        stdout.println("loss = " + MatrixText.seventeenDigits(result.loss()));
        if (computed.contains(Output.DW)) {
            stdout.println();
            stdout.print(MatrixText.format("dW = X^T G", result.dW(), false, lineWidth));
        }
        if (computed.contains(Output.DB)) {
            stdout.println();
            stdout.print(MatrixText.format("db = 1^T G", new Matrix(1, result.k(), result.db()), false, lineWidth));
        }
        for (Output t : List.of(Output.DX, Output.DY)) {
            if (perRow && computed.contains(t)) {
                stdout.println();
                stdout.print(MatrixText.format(t == Output.DX ? "dX = G W^T" : "dY = -2R", rows.rows(t), true,
                        lineWidth));
            }
        }
        if (!perRow && (wanted.contains(Output.DX) || wanted.contains(Output.DY))) {
            stdout.println();
            stdout.println("(dX and dY are printed for n <= " + PRINT_ROWS + " only"
                    + (computeUnprinted ? "; they were computed and discarded" : "") + "; use --out DIR to write them)");
        }
        if (repeat != null) {
            stdout.println();
            stdout.println("iteration seconds: " + result.iterationSeconds());
        }
    }

    /** The width printed matrices must fit: the terminal's, or unlimited for --print full. */
    private int lineWidth() {
        return switch (print) {
            case "summary" -> MatrixText.terminalColumns(System.getenv("COLUMNS"));
            case "full" -> MatrixText.FULL;
            default -> throw new IllegalArgumentException("--print takes summary or full, got '" + print + "'");
        };
    }

    /**
     * What summary.json holds. {@code fit} is null without --repeat, as then nothing is cached; with it,
     * cachedBytes is the cached blocks' size as Spark counts it (in memory, plus any part spilled to disk), which is
     * what float32 blocks halve.
     */
    private Map<String, Object> summary(RowRangeInput input, GradientResult result, EnumSet<Output> wanted,
                                        Map<String, Double> seconds, SparkRuntime runtime, CacheFit fit) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("loss", result.loss());
        s.put("rows", result.rows());
        s.put("d", result.d());
        s.put("k", result.k());
        s.put("partitions", result.partitions());
        s.put("blockRows", result.blockRows());
        s.put("shuffle", result.shuffle());
        s.put("aggregation", result.aggregation());
        List<String> labels = new ArrayList<>();
        wanted.forEach(t -> labels.add(t.label()));
        s.put("outputs", labels);
        s.put("input", input.describe());
        if (inputOptions.bFile != null) {
            s.put("bias", inputOptions.bFile);
        }
        s.put("inputDtype", inputDtype(input));
        if (fit != null) {
            s.put("cachedBytes", fit.cachedBytes());
        }
        s.put("blas", result.blas());
        s.put("kernel", result.kernel());
        s.put("spark", runtime.context().version());
        s.put("master", runtime.context().master());
        s.put("seconds", seconds);
        s.put("repeat", result.iterationSeconds().size());
        s.put("iterationSeconds", result.iterationSeconds());
        return s;
    }

    /** How the input's values are kept: "float32" (float32 files, kept so) or "float64". */
    static String inputDtype(RowRangeInput input) {
        return input.float32() ? "float32" : "float64";
    }

    /** Bytes as people read them: "612 MB", "1.0 GB". */
    static String size(long bytes) {
        return bytes < 1e9 ? Math.max(1, Math.round(bytes / 1e6)) + " MB"
                : String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
