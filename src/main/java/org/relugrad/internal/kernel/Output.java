package org.relugrad.internal.kernel;

/** What a gradient run can produce: the loss f and its gradients with respect to W, b (with a bias), X and Y. */
public enum Output {
    LOSS("loss"), DW("dW"), DB("db"), DX("dX"), DY("dY");

    private final String label;

    Output(String label) {
        this.label = label;
    }

    /** The name users write and files carry: loss, dW, db, dX, dY. */
    public String label() {
        return label;
    }
}
