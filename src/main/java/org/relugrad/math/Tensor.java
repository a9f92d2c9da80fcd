package org.relugrad.math;

import java.util.EnumSet;
import java.util.Locale;

/** What a gradient run can produce: the loss f and its gradients with respect to W, X and Y. */
public enum Tensor {
    LOSS("loss"), DW("dW"), DX("dX"), DY("dY");

    private final String label;

    Tensor(String label) {
        this.label = label;
    }

    /** The name users write and files carry: loss, dW, dX, dY. */
    public String label() {
        return label;
    }

    /** Parses a comma-separated list such as {@code loss,dW}; names are case-insensitive. */
    public static EnumSet<Tensor> parseList(String list) {
        EnumSet<Tensor> out = EnumSet.noneOf(Tensor.class);
        for (String name : list.split(",", -1)) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            Tensor found = null;
            for (Tensor t : values()) {
                if (t.label.toLowerCase(Locale.ROOT).equals(wanted)) {
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
