package org.relugrad.cli;

import org.relugrad.math.Matrix;

/** A matrix as aligned text, every number in full (it reads back as the same double). */
final class MatrixText {
    private MatrixText() {
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
