package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import org.relugrad.internal.cluster.SparkLogs;
import org.relugrad.internal.cluster.SparkRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** relugrad's entry point, run by spark-submit: {@code relugrad grad ...}. */
@Command(name = "relugrad", mixinStandardHelpOptions = true, version = Main.VERSION, usageHelpWidth = 110,
        description = "Exact gradients of a ReLU layer's squared error f = ||max(XW, 0) - Y||_F^2 on Apache Spark.",
        subcommands = {GradCommand.class, CheckCommand.class, FitCommand.class})
public final class Main implements Runnable {

    /** What --version prints, for relugrad and each of its commands. */
    static final String VERSION = "relugrad 0.1.0";
    /** Printed last on stdout by a driver in cluster deploy mode, before its exit code (scripts/relugrad). */
    static final String CLUSTER_EXIT_CODE = "relugrad exit code: ";
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
        if (!List.of(args).contains("--verbose")) {
            SparkLogs.quietWhatRelugradReports();
        }
        int exit = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                () -> SparkRuntime.start("relugrad " + (args.length > 0 ? args[0] : "")));
        if ("cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            // A worker runs this driver and keeps only its output: the launcher reads its exit code from there.
            System.out.println(CLUSTER_EXIT_CODE + exit);
        }
        System.out.flush();
        if (yarnClusterMode()) {
            // YARN's application master runs main in a thread of its own and ends as main ends: an exit from here
            // would end it before it reports, and YARN would count the application as failed, whatever the code.
            if (exit != 0) {
                throw new IllegalStateException("relugrad exited with code " + exit);
            }
            return;
        }
        System.exit(exit);
    }

    private static boolean yarnClusterMode() {
        return "yarn".equals(System.getProperty("spark.master"))
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
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
            err.println(usageError(e));
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler(new Failures(err));
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    /** A usage error as one line, with picocli's nearest command or option when a word was not understood. */
    private static String usageError(CommandLine.ParameterException e) {
        CommandLine failed = e.getCommandLine();
        boolean top = failed.getCommandName().equals("relugrad");
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> words = unmatched.getUnmatched();
            if (top && !words.isEmpty() && !words.get(0).startsWith("-")) {
                message = "unknown command '" + words.get(0) + "' (the commands: "
                        + String.join(", ", failed.getSubcommands().keySet()) + ")";
            }
            List<String> near = unmatched.getSuggestions();
            if (!near.isEmpty()) {
                message += "; did you mean " + String.join(" or ", near) + "?";
            }
        }
        return top ? "relugrad: " + message
                : "relugrad " + failed.getCommandName() + ": " + message + " (see relugrad " + failed.getCommandName()
                + " --help)";
    }
}
