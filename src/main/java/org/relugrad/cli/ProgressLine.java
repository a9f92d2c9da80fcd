package org.relugrad.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.relugrad.internal.engine.Progress;

/**
 * The progress a person sees on stderr while a command runs: on a terminal, one line redrawn in place a few times a
 * second; elsewhere (a log, a pipe), a line every so many seconds, the first only once that time has passed, so a
 * short run prints none. Closed before the command prints its results.
 */
final class ProgressLine implements AutoCloseable {
    /** How often a terminal's line is redrawn. */
    private static final long REDRAW_MILLIS = 500;
    /** Clears from the cursor to the end of the line (ANSI). */
    private static final String CLEAR_TO_END = "\033[K";

    private final Progress progress;
    private final PrintWriter err;
    /** Stdout where it is the same terminal as stderr, else null: the wipe at the end goes there too. */
    private final PrintWriter stdout;
    private final boolean terminal;
    private final int columns;
    private final ScheduledExecutorService timer;
    private boolean drawn;
    private boolean closed;

    private ProgressLine(Progress progress, PrintWriter err, PrintWriter stdout, boolean terminal, int columns,
                         long everyMillis) {
        this.progress = progress;
        this.err = err;
        this.stdout = stdout;
        this.terminal = terminal;
        this.columns = columns;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relugrad progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::show, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A line redrawn in place, cut to {@code columns} characters. {@code stdout}, where it is the same terminal (else
     * null), is wiped as well at the end: stderr reaches the terminal through the launcher's filter, so the results
     * printed on stdout could overtake stderr's wipe and be written over what is left of the line.
     */
    static ProgressLine onTerminal(Progress progress, PrintWriter err, PrintWriter stdout, int columns) {
        return new ProgressLine(progress, err, stdout, true, columns, REDRAW_MILLIS);
    }

    /** A line every {@code seconds}. */
    static ProgressLine every(Progress progress, PrintWriter err, double seconds) {
        return new ProgressLine(progress, err, null, false, Integer.MAX_VALUE,
                Math.max(1, Math.round(seconds * 1000)));
    }

    private synchronized void show() {
        if (closed) {
            return;
        }
        String line = text(progress.now());
        if (terminal) {
            // The cursor goes back to the line's start: a log line printed meanwhile then starts there too.
            err.print("\r" + line.substring(0, Math.min(line.length(), columns - 1)) + CLEAR_TO_END + "\r");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Prints a message of its own on stderr, below which a terminal's line goes on. */
    synchronized void printAbove(String message) {
        clear();
        err.println(message);
        err.flush();
    }

    private void clear() {
        if (drawn) {
            err.print("\r" + CLEAR_TO_END);
            drawn = false;
        }
    }

    /** Stops; a terminal's line is wiped, so that what is printed next starts on a clean line. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            timer.shutdownNow();
            if (drawn && stdout != null) {
                stdout.print("\r" + CLEAR_TO_END);
                stdout.flush();
            }
            clear();
            err.flush();
        }
    }

    /**
     * {@code relugrad: iteration 3/10: 1,250,000 of 4,000,000 rows (31%), 0:12, 2.50M rows/s}: the phase (or the
     * iteration of --repeat), rows done of n, the time since Spark started and the pass's speed, least needed last,
     * where a narrow terminal cuts the line.
     */
    static String text(Progress.Snapshot s) {
        StringBuilder line = new StringBuilder("relugrad: ");
        line.append(s.iterations() > 0 ? "iteration " + s.iteration() + "/" + s.iterations() + ":" : s.phase());
        if (s.rows() > 0) {
            line.append(String.format(Locale.ROOT, " %,d of %,d rows (%d%%)", s.rowsDone(), s.rows(),
                    s.rowsDone() * 100 / s.rows()));
        }
        long seconds = (long) s.seconds();
        line.append(String.format(Locale.ROOT, ", %d:%02d", seconds / 60, seconds % 60));
        if (s.rows() > 0) {
            line.append(", ").append(perSecond(s.passSeconds() > 0 ? s.rowsDone() / s.passSeconds() : 0))
                    .append(" rows/s");
        }
        return line.toString();
    }

    /** A rate in three significant digits at most: 950, 12.3k, 1.25M. */
    static String perSecond(double rate) {
        if (rate < 1e3) {
            return String.valueOf(Math.round(rate));
        }
        boolean millions = rate >= 1e6;
        double scaled = rate / (millions ? 1e6 : 1e3);
        String digits = scaled >= 100 ? String.format(Locale.ROOT, "%.0f", scaled)
                : scaled >= 10 ? String.format(Locale.ROOT, "%.1f", scaled) : String.format(Locale.ROOT, "%.2f", scaled);
        return digits + (millions ? "M" : "k");
    }
}
