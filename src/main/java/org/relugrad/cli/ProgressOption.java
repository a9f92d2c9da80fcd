package org.relugrad.cli;

import java.io.PrintWriter;
import org.relugrad.internal.engine.Progress;
import picocli.CommandLine.Option;

/** --progress, shared by the commands that run passes over the rows: how the progress is shown on stderr. */
final class ProgressOption {
    /** Seconds between progress lines where stderr is not a terminal. */
    static final double LOG_SECONDS = 10;

    @Option(names = "--progress", paramLabel = "WHEN",
            description = {"auto (default): on a terminal, one line that updates in place; otherwise a line on "
                + "stderr every 10 s (none for a shorter run); off; or a number S: a line every S seconds"})
    String when = "auto";

    /** Checks the option before Spark starts. @throws IllegalArgumentException unless auto, off or seconds > 0 */
    void check() {
        seconds();
    }

    /** The progress line for this command, or null for --progress off; {@code out} is the command's stdout. */
    ProgressLine start(Progress progress, PrintWriter err, PrintWriter out) {
        if (when.equals("off")) {
            return null;
        }
        if (when.equals("auto") && isTerminal("RELUGRAD_STDERR_TERMINAL")) {
            return ProgressLine.onTerminal(progress, err, isTerminal("RELUGRAD_STDOUT_TERMINAL") ? out : null,
                    MatrixText.terminalColumns(System.getenv("COLUMNS")));
        }
        return ProgressLine.every(progress, err, seconds());
    }

    private double seconds() {
        if (when.equals("auto") || when.equals("off")) {
            return LOG_SECONDS;
        }
        try {
            double s = Double.parseDouble(when);
            if (s > 0 && Double.isFinite(s)) {
                return s;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--progress takes auto, off or a number of seconds > 0, got '" + when + "'");
    }

    /**
     * Whether stderr or stdout is a terminal: the launcher says so in {@code variable} (RELUGRAD_STDERR_TERMINAL,
     * RELUGRAD_STDOUT_TERMINAL; Java cannot tell for one stream alone); without it, whether the JVM has a console.
     */
    private static boolean isTerminal(String variable) {
        String told = System.getenv(variable);
        return told != null ? told.equals("1") : System.console() != null;
    }
}
