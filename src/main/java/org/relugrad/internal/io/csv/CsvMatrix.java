package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.relugrad.Matrix;

/** Reads and writes a whole small matrix (W, ∂f/∂W) as CSV: one matrix row a line, no header. */
public final class CsvMatrix {
    private CsvMatrix() {
    }

    /**
     * Reads every line of {@code in}; the first line fixes the number of columns.
     *
     * @param file the name to give in errors
     * @throws InputException for an empty file or any malformed line
     */
    public static Matrix read(BufferedReader in, String file) {
        try {
            String first = in.readLine();
            if (first == null) {
                throw new InputException(file, 0, "the file is empty");
            }
            int cols = CsvRows.countFields(first);
            if (cols == 0) {
                throw new InputException(file, 1, "empty line, expected numbers");
            }
            double[] values = new double[cols * 16];
            int rows = 0;
            for (String line = first; line != null; line = in.readLine()) {
                if ((long) (rows + 1) * cols > Integer.MAX_VALUE - 8) {
                    throw new InputException(file, rows + 1, "too large to hold in memory as one matrix");
                }
                if ((rows + 1) * cols > values.length) {
                    values = java.util.Arrays.copyOf(values, Math.max((rows + 1) * cols, values.length * 2));
                }
                CsvRows.parse(line, file, rows + 1, cols, "as many as on line 1", values, rows * cols);
                rows++;
            }
            return new Matrix(rows, cols, java.util.Arrays.copyOf(values, rows * cols));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code m} one row a line, each number in its shortest digits that read back exactly. */
    public static void write(Matrix m, Writer out) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < m.rows(); r++) {
            line.setLength(0);
            for (int c = 0; c < m.cols(); c++) {
                if (c > 0) {
                    line.append(',');
                }
                line.append(ShortestDecimal.of(m.get(r, c)));
            }
            line.append('\n');
            out.write(line.toString());
        }
    }
}
