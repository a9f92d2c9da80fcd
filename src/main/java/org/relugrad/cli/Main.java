package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;
import org.relugrad.job.SparkRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** relugrad's entry point, run by spark-submit: {@code relugrad grad ...}. */
@Command(name = "relugrad", mixinStandardHelpOptions = true, version = "relugrad 0.1.0", usageHelpWidth = 110,
        description = "Exact gradients of a ReLU layer's squared error f = ||max(XW, 0) - Y||_F^2 on Apache Spark.",
        subcommands = {GradCommand.class, CheckCommand.class, FitCommand.class})
public final class Main implements Runnable {

    /** Exit code for usage errors and input the user must fix. */
    static final int EXIT_USAGE = 2;
    /** Exit code for any other failure. */
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: grad, check or fit");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                () -> SparkRuntime.start("relugrad " + (args.length > 0 ? args[0] : ""))));
    }

    /**
     * Runs a command line and returns the exit code: 0 done, 1 failed, 2 usage or input error.
     *
     * @param spark starts (or lends) Spark, once a command has checked its options
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Supplier<SparkRuntime> spark) {
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == GradCommand.class) {
                    return type.cast(new GradCommand(spark));
                }
                if (type == CheckCommand.class) {
                    return type.cast(new CheckCommand(spark));
                }
                if (type == FitCommand.class) {
                    return type.cast(new FitCommand(spark));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine failed = e.getCommandLine();
            err.println(failed.getCommandName().equals("relugrad") ? "relugrad: " + e.getMessage()
                    : "relugrad " + failed.getCommandName() + ": " + e.getMessage()
                    + " (see relugrad " + failed.getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler(new Failures(err));
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }
}
