package org.relugrad.cli;

import java.util.EnumSet;
import java.util.Locale;
import org.relugrad.internal.kernel.Output;

/** --outputs: which of loss, dW, db, dX and dY a run produces. */
final class OutputsOption {
    private OutputsOption() {
    }

    /**
     * {@code wanted} for a run with a bias where {@code bias}: without one, db is refused; with one, a list the user
     * did not write ({@code given} false: the default) gains db.
     */
    static EnumSet<Output> withBias(EnumSet<Output> wanted, boolean bias, boolean given) {
        if (wanted.contains(Output.DB) && !bias) {
            throw new IllegalArgumentException("--outputs names db, the gradient of the bias: give the bias with --b");
        }
        EnumSet<Output> out = EnumSet.copyOf(wanted);
        if (bias && !given) {
            out.add(Output.DB);
        }
        return out;
    }

    /** Parses a comma-separated list such as {@code loss,dW}; names are case-insensitive. */
    static EnumSet<Output> parse(String list) {
        EnumSet<Output> out = EnumSet.noneOf(Output.class);
        for (String name : list.split(",", -1)) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            Output found = null;
            for (Output t : Output.values()) {
                if (t.label().toLowerCase(Locale.ROOT).equals(wanted)) {
                    found = t;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException(
                        "unknown output '" + name.trim() + "' in '" + list + "': expected loss, dW, db, dX or dY");
            }
            out.add(found);
        }
        return out;
    }
}
