package org.relugrad.cli;

import java.util.EnumSet;
import java.util.Locale;
import org.relugrad.internal.kernel.Output;

/** --outputs: which of loss, dW, dX and dY a run produces. */
final class OutputsOption {
    private OutputsOption() {
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
                        "unknown output '" + name.trim() + "' in '" + list + "': expected loss, dW, dX or dY");
            }
            out.add(found);
        }
        return out;
    }
}
