package org.relugrad.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.cluster.RunFailure;
import org.relugrad.SettingOutOfRange;
import org.relugrad.internal.engine.HeapTooSmall;

/** Turns any failure into one line on stderr and an exit code; the stack trace only with --verbose. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    private final PrintWriter err;

    Failures(PrintWriter err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
        InputException input = find(e, InputException.class);
        if (verbose) {
            e.printStackTrace(err);
        }
        if (input != null) {
            err.println("relugrad: " + input.getMessage());
            return Main.EXIT_USAGE;
        }
        RunFailure failure = find(e, RunFailure.class);
        if (failure == null) {
            failure = RunFailure.explain(e);
        }
        if (failure != null) {
            err.println("relugrad: " + failure.getMessage());
            return Main.EXIT_FAILURE;
        }
        if (e instanceof HeapTooSmall heap) {
            long gigabytes = Math.max(1, (heap.neededBytes() + (1L << 30) - 1) >> 30);
            err.println("relugrad: " + heap.getMessage() + "; give " + (heap.driver() ? "--driver-memory "
                    : "--executor-memory ") + gigabytes + "g" + (heap.blocks() ? ", or fewer rows per block (--block-rows)" : ""));
            return Main.EXIT_FAILURE;
        }
        if (e instanceof SettingOutOfRange setting) {
            err.println("relugrad: " + setting.message(switch (setting.setting()) {
                case PARTITIONS -> "--partitions";
                case BLOCK_ROWS -> "--block-rows";
            }));
            return Main.EXIT_USAGE;
        }
        IllegalArgumentException usage = e instanceof IllegalArgumentException iae ? iae : null;
        if (usage != null) {
            err.println("relugrad: " + usage.getMessage());
            return Main.EXIT_USAGE;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        err.println("relugrad: failed: " + message.lines().findFirst().orElse("")
                + (verbose ? "" : " (--verbose shows more)"));
        return Main.EXIT_FAILURE;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
