package org.relugrad.internal.io;

/** Thrown for input a user can fix; its message is one line that names the file (and line). */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final InputError error;

    public InputException(InputError error) {
        super(error.toString());
        this.error = error;
    }

    public InputException(String file, long line, String problem) {
        this(new InputError(file, line, problem));
    }

    public InputError error() {
        return error;
    }
}
