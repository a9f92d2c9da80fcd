package org.relugrad.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.relugrad.Matrix;

/**
 * Numbers and matrices as text, every number in full (it reads back as the same double). A matrix too large to
 * read at once is summarized as NumPy prints one: its corners, with {@code ...} for the rows and columns between.
 */
final class MatrixText {
    /** NumPy's edgeitems: the rows (and at most the columns) kept at each end of a summarized axis. */
    static final int EDGE_ITEMS = 3;
    /** NumPy's threshold: a matrix of more elements than this is summarized along every axis. */
    static final int THRESHOLD = 1000;
    /** The terminal width assumed when the environment does not give one. */
    static final int DEFAULT_COLUMNS = 80;
    /** A line width that never summarizes: {@code --print full}. */
    static final int FULL = Integer.MAX_VALUE;

    private MatrixText() {
    }

    /** {@code x} to 17 significant digits, trailing zeros dropped, as C's and Python's {@code %.17g}. */
    static String seventeenDigits(double x) {
        if (x == 0.0 || !Double.isFinite(x)) {
            return Double.toString(x);
        }
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        double magnitude = Math.abs(x);
        if (magnitude >= 1e-4 && magnitude < 1e17) {
            return rounded.toPlainString();
        }
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (x < 0 ? "-" : "") + mantissa + (exponent < 0 ? "e-" : "e+") + String.format("%02d", Math.abs(exponent));
    }

    /** The terminal's width from {@code COLUMNS} (as shells and the launcher set it), else {@value #DEFAULT_COLUMNS}. */
    static int terminalColumns(String columns) {
        try {
            int c = columns == null ? 0 : Integer.parseInt(columns.trim());
            return c > 0 ? c : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    /**
     * {@code m} under {@code title}, one row a line, right-aligned, with each row's 0-based index if asked. As
     * NumPy does, a matrix of more than {@value #THRESHOLD} elements shows only its first and last
     * {@value #EDGE_ITEMS} rows and columns; and one of more than 2·{@value #EDGE_ITEMS} columns whose lines would be
     * wider than {@code lineWidth} shows only its first and last columns, as many (at most {@value #EDGE_ITEMS}, at
     * least one) as fit.
     */
    static String format(String title, Matrix m, boolean rowIndex, int lineWidth) {
        int indexWidth = String.valueOf(Math.max(0, m.rows() - 1)).length();
        int prefix = 2 + (rowIndex ? indexWidth + 1 : 0);
        boolean large = lineWidth != FULL && (long) m.rows() * m.cols() > THRESHOLD;
        int[] rows = shown(m.rows(), large ? EDGE_ITEMS : m.rows());
        int[] cols = shown(m.cols(), large ? EDGE_ITEMS : m.cols());
        // As in NumPy, an axis of at most twice the edge items is never summarized: it would hide nothing.
        for (int edge = EDGE_ITEMS; m.cols() > 2 * EDGE_ITEMS && edge >= 1
                && lineLength(m, rows, cols, prefix) > lineWidth; edge--) {
            cols = shown(m.cols(), edge);
        }
        int width = cellWidth(m, rows, cols);
        boolean summarized = rows.length < m.rows() || cols.length < m.cols();
        StringBuilder out = new StringBuilder(title).append(" (").append(m.rows()).append(" x ").append(m.cols())
                .append(summarized ? "; corners, --print full shows all" : "").append("):\n");
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] != rows[i - 1] + 1) {
                out.append("  ").append(" ".repeat(rowIndex ? indexWidth + 1 : 0)).append(" ...\n");
            }
            int r = rows[i];
            out.append("  ");
            if (rowIndex) {
                out.append(String.format("%" + indexWidth + "d:", r));
            }
            for (int j = 0; j < cols.length; j++) {
                if (j > 0 && cols[j] != cols[j - 1] + 1) {
                    out.append(" ...");
                }
                String cell = Double.toString(m.get(r, cols[j]));
                out.append(' ').append(" ".repeat(width - cell.length())).append(cell);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The indices of an axis of {@code length} that are shown: all, or the first and last {@code edge}. */
    private static int[] shown(int length, int edge) {
        if (length <= 2 * edge) {
            return java.util.stream.IntStream.range(0, length).toArray();
        }
        return java.util.stream.IntStream.concat(java.util.stream.IntStream.range(0, edge),
                java.util.stream.IntStream.range(length - edge, length)).toArray();
    }

    private static int cellWidth(Matrix m, int[] rows, int[] cols) {
        int width = 1;
        for (int r : rows) {
            for (int c : cols) {
                width = Math.max(width, Double.toString(m.get(r, c)).length());
            }
        }
        return width;
    }

    private static long lineLength(Matrix m, int[] rows, int[] cols, int prefix) {
        boolean gap = cols.length < m.cols();
        return prefix + (long) cols.length * (cellWidth(m, rows, cols) + 1) + (gap ? 4 : 0);
    }
}
