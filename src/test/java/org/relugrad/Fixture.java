package org.relugrad;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference case from src/test/resources/fixtures: inputs and the float64 NumPy results (cross-checked against
 * PyTorch autograd), read with a plain parser of its own so the code under test is not its own reference.
 */
public record Fixture(String name, Matrix x, Matrix w, Matrix y, double loss, Matrix dW, Matrix dX, Matrix dY) {

    public static Fixture load(String name) {
        return new Fixture(name, matrix(name, "X.csv"), matrix(name, "W.csv"), matrix(name, "Y.csv"),
                Double.parseDouble(text(name, "loss.txt").trim()),
                matrix(name, "dW.csv"), matrix(name, "dX.csv"), matrix(name, "dY.csv"));
    }

    /** Copies the fixture's X, Y and W CSV files into {@code dir}; returns dir. */
    public Path copyInputsTo(Path dir) {
        try {
            for (String f : List.of("X.csv", "Y.csv", "W.csv")) {
                Files.writeString(dir.resolve(f), text(name, f));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of a fixture file as it lies on disk (test resources are plain files). */
    public static Path path(String name, String file) {
        java.net.URL url = Fixture.class.getResource("/fixtures/" + name + "/" + file);
        if (url == null) {
            throw new IllegalArgumentException("no fixture file " + name + "/" + file);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(String name, String file) {
        try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name + "/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture file " + name + "/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Matrix matrix(String name, String file) {
        return parse(text(name, file));
    }

    /** A CSV matrix file anywhere, e.g. one relugrad wrote. */
    public static Matrix matrixAt(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Matrix parse(String text) {
        List<double[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.split(",");
                double[] row = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    row[i] = Double.parseDouble(f[i]);
                }
                rows.add(row);
            }
        }
        int cols = rows.get(0).length;
        double[] v = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, v, r * cols, cols);
        }
        return new Matrix(rows.size(), cols, v);
    }
}
