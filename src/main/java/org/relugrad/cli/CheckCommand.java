package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.relugrad.internal.check.CheckReport;
import org.relugrad.internal.check.DirectionCheck;
import org.relugrad.internal.check.FiniteDifferenceSettings;
import org.relugrad.internal.check.GradientCheck;
import org.relugrad.internal.check.TensorComparison;
import org.relugrad.internal.check.Tolerance;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.out.ReportFile;
import org.relugrad.Blocking;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.Progress;
import org.relugrad.internal.cluster.SparkRuntime;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code relugrad check}: checks gradients at any n, against stored ones, finite differences, or a repartitioning. */
@Command(name = "check", mixinStandardHelpOptions = true, version = Main.VERSION, sortOptions = false, usageHelpWidth = 110,
        description = {
            "Checks the gradients of f = ||max(XW + b, 0) - Y||_F^2 (b with --b) on an input of any size, in one of "
                + "three ways:",
            "  --expected DIR     relugrad's gradients against those in DIR, |got - expected| <= atol + rtol*|expected|",
            "                     (--rtol 0 --atol 0: bit for bit): relugrad's own --out folder in any format, or",
            "                     plain .csv or .npy matrices loss.txt, dW, db, dX, dY (rows in input order)",
            "  --fd               central differences along random directions, one tensor at a time, against",
            "                     relugrad's gradient or, with --gradient DIR, a supplied one",
            "  --partitions P1,P2 loss and dW (and db) at two partitionings, which must agree to the bit",
            "Exit 0 when every check passes, 1 when one fails, 2 for usage or input errors."},
        footer = {"", "Input options as for grad. Spark's options are taken by the launcher, scripts/relugrad."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions inputOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    /** Exactly one check. */
    static final class Mode {
        @Option(names = "--expected", paramLabel = "DIR", required = true,
                description = "compare with the gradients in DIR")
        String expected;

        @Option(names = "--fd", required = true, description = "compare with finite differences")
        boolean fd;

        @Option(names = "--partitions", paramLabel = "P1,P2", required = true,
                description = "compare loss and dW at two partition counts")
        String partitions;
    }

    @Option(names = "--gradient", paramLabel = "DIR",
            description = "with --fd: check the gradients in DIR (dW, db, dX, dY) instead of relugrad's")
    String gradient;

    @Option(names = "--rtol", description = "relative tolerance for --expected (default: ${DEFAULT-VALUE})")
    double rtol = Tolerance.TORCH_DEFAULT.rtol();

    @Option(names = "--atol", description = "absolute tolerance for --expected (default: ${DEFAULT-VALUE})")
    double atol = Tolerance.TORCH_DEFAULT.atol();

    @Option(names = "--float32", description = "--expected against float32 gradients (such as float32 autograd's): "
            + "--rtol 1.3e-6 --atol 1e-5, torch.testing's float32 defaults")
    boolean float32;

    @Option(names = "--directions", paramLabel = "M", description = "--fd: random directions (default: ${DEFAULT-VALUE})")
    int directions = 3;

    @Option(names = "--eps", description = "--fd: step of the central difference (default: ${DEFAULT-VALUE})")
    double eps = 1e-6;

    @Option(names = "--seed", description = "--fd: seed of the directions (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fd-rtol", paramLabel = "RTOL",
            description = "--fd: error accepted, relative to the rounding scale of each difference (default: ${DEFAULT-VALUE})")
    double fdRtol = 1e-6;

    @Mixin
    BlockRowsOption blockRows;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    String report;

    @Mixin
    ProgressOption progress;

    @Option(names = "--verbose", description = "stack traces on failure")
    boolean verbose;

    private final Supplier<SparkRuntime> spark;

    CheckCommand(Supplier<SparkRuntime> spark) {
        this.spark = spark;
    }

    @Override
    public Integer call() {
        RowRangeInput input = inputOptions.input();
        int rowsPerBlock = blockRows.rowsPerBlock();
        if (gradient != null && !mode.fd) {
            throw new IllegalArgumentException("--gradient goes with --fd");
        }
        Tolerance tolerance = tolerance();
        FiniteDifferenceSettings fdSettings = mode.fd ? new FiniteDifferenceSettings(directions, seed, eps, fdRtol) : null;
        int[] counts = mode.partitions != null ? partitionCounts(mode.partitions) : null;
        progress.check();
        CheckReport result;
        try (SparkRuntime runtime = spark.get();
             Progress followed = Progress.attach(runtime.context());
             ProgressLine line = progress.start(followed, spec.commandLine().getErr(), spec.commandLine().getOut())) {
            GradientJob job = new GradientJob(runtime.context());
            job.reportTo(followed);
            GradientCheck check = new GradientCheck(job, rowsPerBlock, inputOptions.bFile);
            if (mode.expected != null) {
                result = check.expected(input, mode.expected, tolerance);
            } else if (mode.fd) {
                result = check.finiteDifferences(input, fdSettings, gradient);
            } else {
                result = check.partitions(input, counts[0], counts[1]);
            }
            if (report != null) {
                ReportFile.write(report, result.toMap(), runtime.context().hadoopConfiguration());
            }
        }
        print(result, spec.commandLine().getOut());
        return result.passed() ? 0 : Main.EXIT_FAILURE;
    }

    /** --rtol and --atol, or the --float32 preset, which goes with --expected and replaces both. */
    private Tolerance tolerance() {
        if (!float32) {
            return new Tolerance(rtol, atol);
        }
        if (mode.expected == null) {
            throw new IllegalArgumentException("--float32 goes with --expected");
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--rtol") || parsed.hasMatchedOption("--atol")) {
            throw new IllegalArgumentException("--float32 sets --rtol and --atol: give one or the other");
        }
        return Tolerance.TORCH_FLOAT32;
    }

    private static int[] partitionCounts(String list) {
        String[] parts = list.split(",", -1);
        try {
            if (parts.length == 2) {
                int a = Integer.parseInt(parts[0].trim());
                int b = Integer.parseInt(parts[1].trim());
                if (a >= 1 && b >= 1) {
                    Blocking.requirePartitions(a, false);
                    Blocking.requirePartitions(b, false);
                    return new int[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--partitions takes two partition counts P1,P2 (each >= 1), got '" + list + "'");
    }

    private static void print(CheckReport report, PrintWriter out) {
        out.println(report.about().get("input") + ": n = " + report.about().get("rows") + ", d = "
                + report.about().get("d") + ", k = " + report.about().get("k"));
        switch (report.mode()) {
            case "expected" -> {
                out.println("relugrad against " + report.about().get("expected") + ": "
                        + report.about().get("expectedFiles"));
                List<?> absent = (List<?>) report.about().get("absent");
                out.println("compared: " + String.join(", ", report.tensors().stream().map(TensorComparison::tensor)
                        .toList()) + "; absent from " + report.about().get("expected") + ", not compared: "
                        + (absent.isEmpty() ? "none" : absent.stream().map(Object::toString)
                        .collect(java.util.stream.Collectors.joining(", "))));
            }
            case "fd" -> out.println(report.about().get("gradient") + " against central differences, eps = "
                    + report.about().get("eps") + ", " + report.about().get("directions") + " directions (seed "
                    + report.about().get("seed") + ")");
            default -> out.println("loss and dW" + (report.tensors().size() > 2 ? " and db" : "") + " at "
                    + report.about().get("partitions") + " partitions, bit for bit");
        }
        out.println();
        if (!report.tensors().isEmpty()) {
            out.println(String.format(Locale.ROOT, "%-6s %12s %10s %13s %13s %17s %24s %24s  %s",
                    "tensor", "elements", "failing", "max abs err", "max rel err", "worst [row,col]", "got", "expected",
                    "result"));
            for (TensorComparison t : report.tensors()) {
                out.println(String.format(Locale.ROOT, "%-6s %12d %10d %13.3e %13.3e %17s %24s %24s  %s",
                        t.tensor(), t.compared(), t.failing(), t.maxAbs(), t.maxRel(),
                        "[" + t.worstRow() + "," + t.worstCol() + "]", MatrixText.seventeenDigits(t.worstGot()),
                        MatrixText.seventeenDigits(t.worstExpected()), t.passed() ? "ok" : "FAIL"));
            }
        }
        if (!report.directions().isEmpty()) {
            out.println(String.format(Locale.ROOT, "%-4s %-6s %24s %24s %11s %11s %11s %10s %11s  %s",
                    "dir", "tensor", "analytic", "numeric", "rel err", "|err|", "tolerance", "kinks", "kink bound",
                    "result"));
            for (DirectionCheck d : report.directions()) {
                out.println(String.format(Locale.ROOT, "%-4d %-6s %24s %24s %11.3e %11.3e %11.3e %10d %11.3e  %s",
                        d.direction(), d.tensor(), MatrixText.seventeenDigits(d.analytic()),
                        MatrixText.seventeenDigits(d.numeric()), d.relativeError(), d.error(), d.tolerance(),
                        d.crossings(), d.kinkBound(), d.passed() ? "ok" : "FAIL"));
            }
            out.println("(numeric: the central difference as evaluated; the error is measured after taking out what "
                    + "the kinks add, which is at most the kink bound)");
        }
        out.println();
        List<String> failed = report.failedTensors();
        out.println(report.passed() ? "check passed" : "check FAILED: " + String.join(", ", failed));
    }
}
