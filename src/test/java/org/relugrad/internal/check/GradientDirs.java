package org.relugrad.internal.check;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.relugrad.Matrix;

/** Writes folders of gradients "computed elsewhere": plain CSV matrices, rows in input order, no row index. */
final class GradientDirs {
    private GradientDirs() {
    }

    /** Writes whichever of loss, dW, dX, dY are not null into {@code dir} (created); returns dir. */
    static Path write(Path dir, Double loss, Matrix dW, Matrix dX, Matrix dY) {
        try {
            Files.createDirectories(dir);
            if (loss != null) {
                Files.writeString(dir.resolve("loss.txt"), loss + "\n");
            }
            writeCsv(dir.resolve("dW.csv"), dW);
            writeCsv(dir.resolve("dX.csv"), dX);
            writeCsv(dir.resolve("dY.csv"), dY);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams {@code m} to {@code file} as CSV with round-tripping numbers; does nothing for null. */
    static void writeCsv(Path file, Matrix m) throws IOException {
        if (m == null) {
            return;
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int r = 0; r < m.rows(); r++) {
                for (int c = 0; c < m.cols(); c++) {
                    if (c > 0) {
                        out.write(',');
                    }
                    out.write(Double.toString(m.get(r, c)));
                }
                out.write('\n');
            }
        }
    }

    /** A copy of {@code m} with every value multiplied by {@code factor}. */
    static Matrix scaled(Matrix m, double factor) {
        double[] v = m.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return new Matrix(m.rows(), m.cols(), v);
    }

    /** mᵀ. */
    static Matrix transposed(Matrix m) {
        double[] v = new double[m.values().length];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                v[c * m.rows() + r] = m.get(r, c);
            }
        }
        return new Matrix(m.cols(), m.rows(), v);
    }

    /** A copy of {@code m} with row {@code row} set to zero. */
    static Matrix rowZeroed(Matrix m, int row) {
        double[] v = m.values().clone();
        java.util.Arrays.fill(v, row * m.cols(), (row + 1) * m.cols(), 0.0);
        return new Matrix(m.rows(), m.cols(), v);
    }
}
