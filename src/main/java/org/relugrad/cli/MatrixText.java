package org.relugrad.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.relugrad.math.Matrix;

/** Numbers and matrices as text, every number in full (it reads back as the same double). */
final class MatrixText {
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

    static String format(String title, Matrix m, boolean rowIndex) {
        String[][] cells = new String[m.rows()][m.cols()];
        int width = 1;
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                cells[r][c] = Double.toString(m.get(r, c));
                width = Math.max(width, cells[r][c].length());
            }
        }
        int indexWidth = String.valueOf(Math.max(0, m.rows() - 1)).length();
        StringBuilder out = new StringBuilder(title).append(" (").append(m.rows()).append(" x ").append(m.cols())
                .append("):\n");
        for (int r = 0; r < m.rows(); r++) {
            out.append("  ");
            if (rowIndex) {
                out.append(String.format("%" + indexWidth + "d:", r));
            }
            for (int c = 0; c < m.cols(); c++) {
                out.append(' ').append(" ".repeat(width - cells[r][c].length())).append(cells[r][c]);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
