package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.relugrad.Blocking;
import org.relugrad.ReluLoss;
import org.relugrad.internal.io.out.FitFolder;
import org.relugrad.internal.io.out.LossPlot;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.out.OutputFormat;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.fit.FitResult;
import org.relugrad.internal.fit.FitSettings;
import org.relugrad.internal.fit.InitialW;
import org.relugrad.internal.fit.LbfgsTraining;
import org.relugrad.internal.fit.LossFunction;
import org.relugrad.internal.fit.WithBias;
import org.relugrad.internal.fit.TrainingState;
import org.relugrad.internal.cluster.SparkRuntime;
import org.relugrad.Matrix;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code relugrad fit}: trains W by L-BFGS over cached blocks, with a checkpoint after every iteration. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {
            "Trains W (and with --bias b) by L-BFGS (Breeze's, as Spark ML's regressions), minimizing",
            "  f + l2 * ||W||_F^2 where f = ||max(XW + b, 0) - Y||_F^2, over the input's blocks cached in memory: one",
            "  exact gradient pass per evaluation. After every iteration: one line 'iteration N ...' on stdout and a",
            "  checkpoint in DIR.",
            "Input as for grad (--w is W0 here, --b b0); DIR gets W.npy or W.csv (and b), summary.json and loss.svg."},
        footer = {"", "Spark's options (--master, --conf, --driver-memory, ...) are taken by the launcher, "
                + "scripts/relugrad, and may stand anywhere on its line."})
final class FitCommand implements Callable<Integer> {
    /** The options --resume takes from DIR/arguments.txt, and the ones that may be given again with it. */
    private static final Set<String> NOT_SAVED = Set.of("--out", "--overwrite", "--resume", "--partitions",
            "--verbose");

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--init", paramLabel = "zeros|random:SEED",
            description = "W0 made, not read: zeros, or uniform in [-1/sqrt(d), 1/sqrt(d)) from SEED (instead of --w)")
    String init;

    @Option(names = "--bias", description = "train a bias b with W, Z = XW + b, as torch.nn.Linear has and Spark ML "
            + "fits (its intercept; not weighed by --l2); b0 = 0, or --b B0")
    boolean bias;

    @Option(names = "--max-iter", paramLabel = "N", description = "at most N iterations (default: ${DEFAULT-VALUE})")
    int maxIter = 100;

    @Option(names = "--tol", paramLabel = "T",
            description = {"stop when the objective changed by at most T * |objective at W0| over 20 iterations, or "
                + "the gradient's norm is at most max(T * |objective|, 1e-8) (default: ${DEFAULT-VALUE}); 0: run "
                + "exactly --max-iter iterations"})
    double tol = 1e-9;

    @Option(names = "--l2", paramLabel = "LAMBDA", description = "the objective's l2 * ||W||_F^2 (default: 0)")
    double l2;

    @Option(names = "--out", paramLabel = "DIR", description = "where W, summary.json, loss.svg and the checkpoints go")
    String out;

    @Option(names = "--overwrite", description = "replace DIR if it is an earlier fit's folder")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "go on from DIR's newest checkpoint, with its input and settings, to the W an "
                    + "uninterrupted run ends with (the same bits)")
    String resume;

    @Mixin
    PartitionsOption partitions;

    @Mixin
    BlockRowsOption blockRows;

    @Option(names = "--verbose", description = "stack traces on failure")
    boolean verbose;

    private final Supplier<SparkRuntime> spark;

    FitCommand(Supplier<SparkRuntime> spark) {
        this.spark = spark;
    }

    @Override
    public Integer call() {
        if (resume != null) {
            List<String> given = savedArguments();
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("--resume takes the input and settings from DIR; give only "
                        + "--partitions and Spark's options with it, not " + given.get(0));
            }
        } else if (out == null) {
            throw new IllegalArgumentException("--out DIR is required (or --resume DIR)");
        }
        checkOptions();
        PrintWriter stdout = spec.commandLine().getOut();
        try (SparkRuntime runtime = spark.get()) {
            Configuration conf = runtime.context().hadoopConfiguration();
            if (resume == null) {
                fit(runtime, FitFolder.create(out, overwrite, conf, inputOptions.format() == OutputFormat.NPY
                        ? OutputFormat.NPY : OutputFormat.CSV), false, stdout);
            } else {
                FitCommand original = new FitCommand(spark);
                FitFolder probe = FitFolder.resume(resume, conf, OutputFormat.CSV);
                new CommandLine(original).parseArgs(probe.readArguments().toArray(String[]::new));
                original.out = resume;
                original.partitions = partitions;
                original.checkOptions();
                original.fit(runtime, FitFolder.resume(resume, conf, original.inputOptions.format()
                        == OutputFormat.NPY ? OutputFormat.NPY : OutputFormat.CSV), true, stdout);
            }
        }
        return 0;
    }

    /** Checks the settings before Spark starts, naming the options. */
    private void checkOptions() {
        if (maxIter < 0) {
            throw new IllegalArgumentException("--max-iter must be >= 0, was " + maxIter);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("--tol must be a number >= 0, was " + tol);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("--l2 must be a number >= 0, was " + l2);
        }
        if (inputOptions.bFile != null && !bias) {
            throw new IllegalArgumentException("--b is b0 for training a bias: give --bias with it");
        }
        if (inputOptions.xFile != null && inputOptions.yFile == null) {
            throw new IllegalArgumentException("--x and --y go together");
        }
        if (init != null) {
            if (inputOptions.wFile != null) {
                throw new IllegalArgumentException("give either --w W0 or --init, not both");
            }
            if (inputOptions.table != null) {
                throw new IllegalArgumentException("--init needs d and k from .npy or CSV files; with --table, give "
                        + "--w W0");
            }
            initialW(1, 1);
        } else if (inputOptions.xFile != null && inputOptions.wFile == null) {
            throw new IllegalArgumentException("give W0: --w W0.npy|W0.csv, or --init zeros|random:SEED");
        }
        blocking();
    }

    /** --max-iter, --tol and --l2. */
    private FitSettings settings() {
        return new FitSettings(maxIter, tol, l2);
    }

    /** --partitions and --block-rows. */
    private Blocking blocking() {
        return new Blocking(partitions.count(), blockRows.rowsPerBlock());
    }

    private void fit(SparkRuntime runtime, FitFolder folder, boolean resuming, PrintWriter stdout) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long start = System.nanoTime();
        Configuration conf = runtime.context().hadoopConfiguration();
        try {
            if (!resuming) {
                folder.writeArguments(savedArguments());
            }
            RowRangeInput input = input(folder, conf);
            SparkSession session = SparkSession.builder().sparkContext(runtime.context().sc()).getOrCreate();
            try (ReluLoss loss = ReluLoss.of(session, input, blocking())) {
                seconds.put("prepare", since(start));
                LbfgsTraining.requireFits(settings(), loss.d() + (bias ? 1 : 0), loss.k());
                long cacheStart = System.nanoTime();
                loss.cache();
                seconds.put("cache", since(cacheStart));
                Matrix w0 = init != null && inputOptions.xFile == null ? initialW(loss.d(), loss.k())
                        : loss.inputW().orElseThrow();
                if (bias) {
                    // b0 is read for a fresh start only: a resumed fit's state holds b, and b0's file may be gone.
                    double[] b0 = !resuming || !folder.hasCheckpoint() ? inputOptions.bias(loss.k(), conf) : null;
                    w0 = WithBias.join(w0, b0 != null ? b0 : new double[loss.k()]);
                }
                long trainStart = System.nanoTime();
                FitResult result = train(loss, w0, folder, resuming, stdout);
                seconds.put("train", since(trainStart));
                seconds.put("total", since(start));
                folder.finish(bias ? WithBias.w(result.w()) : result.w(), bias ? WithBias.b(result.w()) : null,
                        LossPlot.svg(result.lossHistory()), summary(loss, input, result, seconds, runtime, folder));
                stdout.println("loss = " + MatrixText.seventeenDigits(result.loss()) + " after " + result.iterations()
                        + " iterations (" + result.stopReason().label() + "); wrote " + out);
            }
        } catch (Throwable failure) {
            // A folder with a checkpoint is kept, to be resumed; one without holds nothing worth keeping.
            if (!resuming && !folder.hasCheckpoint()) {
                try {
                    folder.abandon();
                } catch (RuntimeException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /** @param w0 W0, or with --bias [W0; b0ᵀ] ({@link WithBias}) */
    private FitResult train(ReluLoss loss, Matrix w0, FitFolder folder, boolean resuming, PrintWriter stdout) {
        LossFunction f = bias ? WithBias.loss(loss::lossAndGradient) : loss::lossAndGradient;
        LbfgsTraining training = new LbfgsTraining(settings(), bias);
        LbfgsTraining.Listener listener = state -> {
            Matrix w = state.wMatrix();
            folder.writeCheckpoint(state.iteration(), state.encode(), bias ? WithBias.w(w) : w,
                    bias ? WithBias.b(w) : null);
            int i = state.iteration();
            stdout.println("iteration " + i + "  loss " + MatrixText.seventeenDigits(state.lossHistory()[i])
                    + "  gradient norm " + state.gradientNormHistory()[i]);
            stdout.flush();
        };
        Optional<byte[]> checkpoint = resuming ? folder.latestState() : Optional.empty();
        if (checkpoint.isEmpty()) {
            return training.run(f, w0, listener);
        }
        TrainingState state;
        try {
            state = TrainingState.decode(checkpoint.get());
        } catch (IllegalArgumentException e) {
            throw new org.relugrad.internal.io.InputException(out, 0, "its newest checkpoint " + e.getMessage());
        }
        if (state.d() != w0.rows() || state.k() != w0.cols()) {
            throw new org.relugrad.internal.io.InputException(out, 0, "its newest checkpoint holds a " + state.d()
                    + " x " + state.k() + " W, but the input and --bias call for " + w0.rows() + " x " + w0.cols());
        }
        stdout.println("resuming " + out + " after iteration " + state.iteration());
        return training.resume(f, state, listener);
    }

    /**
     * The input the options name; with --init and files, its W is W0 made here and kept in DIR (d and k from the
     * files), so the input is read as with --w.
     */
    private RowRangeInput input(FitFolder folder, Configuration conf) {
        if (init != null && inputOptions.xFile != null) {
            // Written again on --resume, the same bits: a driver killed before it wrote W0 loses nothing.
            folder.writeW0(initialW(MatrixFile.columns(inputOptions.xFile, conf),
                    MatrixFile.columns(inputOptions.yFile, conf)));
            inputOptions.wFile = folder.w0File();
        } else if (inputOptions.xFile != null && inputOptions.yFile != null) {
            checkW0Shape(conf);
        }
        return inputOptions.input();
    }

    /** A W0 of the wrong shape, named with both shapes, before anything is read. */
    private void checkW0Shape(Configuration conf) {
        int d = MatrixFile.columns(inputOptions.xFile, conf);
        int k = MatrixFile.columns(inputOptions.yFile, conf);
        Matrix w0 = MatrixFile.read(inputOptions.wFile, conf);
        if (w0.rows() != d || w0.cols() != k) {
            throw new org.relugrad.internal.io.InputException(inputOptions.wFile, 0, "W0 is " + w0.rows() + " x " + w0.cols()
                    + ", but X and Y need a " + d + " x " + k + " W (d = " + d + " columns of " + inputOptions.xFile
                    + ", k = " + k + " columns of " + inputOptions.yFile + ")");
        }
    }

    /**
     * W0 from --init.
     *
     * @throws IllegalArgumentException for a value that is neither zeros nor random:SEED
     */
    private Matrix initialW(int d, int k) {
        if (init.equals("zeros")) {
            return InitialW.zeros(d, k);
        }
        if (init.startsWith("random:")) {
            try {
                return InitialW.random(d, k, Long.parseLong(init.substring("random:".length()).trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--init takes zeros or random:SEED (SEED an integer), got '" + init + "'");
    }

    /** The options given, as arguments, less those about where the run writes and how it reports. */
    private List<String> savedArguments() {
        List<String> arguments = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (NOT_SAVED.contains(option.longestName()) || option.usageHelp() || option.versionHelp()) {
                continue;
            }
            if (option.arity().max() == 0) {
                arguments.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    arguments.add(option.longestName());
                    arguments.add(value);
                }
            }
        }
        return arguments;
    }

    private Map<String, Object> summary(ReluLoss loss, RowRangeInput input, FitResult result,
                                        Map<String, Double> seconds, SparkRuntime runtime, FitFolder folder) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("loss", result.loss());
        s.put("iterations", result.iterations());
        s.put("stopReason", result.stopReason().label());
        s.put("lossHistory", result.lossHistory());
        s.put("gradientNormHistory", result.gradientNormHistory());
        s.put("W", folder.wName());
        if (bias) {
            s.put("b", folder.bName());
        }
        s.put("maxIter", maxIter);
        s.put("tol", tol);
        s.put("l2", l2);
        s.put("init", init != null ? init : inputOptions.wFile != null ? inputOptions.wFile : "the input's W");
        s.put("rows", loss.rows());
        s.put("d", loss.d());
        s.put("k", loss.k());
        s.put("partitions", loss.partitions());
        s.put("blockRows", loss.blockRows());
        s.put("input", loss.describe());
        s.put("inputDtype", GradCommand.inputDtype(input));
        s.put("spark", runtime.context().version());
        s.put("master", runtime.context().master());
        s.put("seconds", seconds);
        return s;
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
