package org.relugrad.internal.io;

import java.io.Serializable;

/**
 * A problem with the user's input, located by file and (1-based) line where there is one. A value, so that tasks
 * can hand it back to the driver instead of failing, and the driver can report the first one by position.
 */
public final class InputError implements Serializable, Comparable<InputError> {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String problem;
    private final boolean binaryRow;

    /**
     * @param file the file as the user named it
     * @param line the 1-based line (or row) it is on, or 0 when it concerns the whole file
     * @param problem what was expected and what was found
     */
    public InputError(String file, long line, String problem) {
        this(file, line, problem, false);
    }

    private InputError(String file, long line, String problem, boolean binaryRow) {
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.binaryRow = binaryRow;
    }

    /**
     * A problem at row {@code row} (0-based, as NumPy indexes) of a binary file such as a .npy, which has no lines;
     * ordered with line errors as line row + 1.
     */
    public static InputError atRow(String file, long row, String problem) {
        return new InputError(file, row + 1, problem, true);
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    /** Orders by line first, so the error nearest the top of the input is the one reported. */
    @Override
    public int compareTo(InputError other) {
        int byLine = Long.compare(line, other.line);
        return byLine != 0 ? byLine : file.compareTo(other.file);
    }

    /** One line: {@code X.csv line 3: expected 4 values, found 3}, or {@code X.npy row 2: NaN in column 0}. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + problem;
        }
        return binaryRow ? file + " row " + (line - 1) + ": " + problem : file + " line " + line + ": " + problem;
    }
}
