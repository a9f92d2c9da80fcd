package org.relugrad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads a gradient run's output folder back, with a parser of its own. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * The rows of DIR/{tensor}/part-*.csv as an n × cols matrix, checking that every row 0..n-1 appears exactly
     * once and that the parts, read in name order, list the rows in order.
     */
    public static Matrix perRow(Path dir, String tensor, long n, int cols) {
        double[] values = new double[Math.toIntExact(n * cols)];
        boolean[] seen = new boolean[Math.toIntExact(n)];
        long previous = -1;
        try (Stream<Path> parts = Files.list(dir.resolve(tensor))) {
            for (Path part : parts.sorted().toList()) {
                for (String line : Files.readAllLines(part)) {
                    String[] f = line.split(",");
                    if (f.length != cols + 1) {
                        throw new AssertionError(part + ": expected " + (cols + 1) + " fields: " + line);
                    }
                    int row = Integer.parseInt(f[0]);
                    if (seen[row]) {
                        throw new AssertionError(part + ": row " + row + " written twice");
                    }
                    if (row <= previous) {
                        throw new AssertionError(part + ": row " + row + " after row " + previous);
                    }
                    previous = row;
                    seen[row] = true;
                    for (int c = 0; c < cols; c++) {
                        values[row * cols + c] = Double.parseDouble(f[c + 1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int r = 0; r < seen.length; r++) {
            if (!seen[r]) {
                throw new AssertionError(tensor + ": row " + r + " missing");
            }
        }
        return new Matrix(Math.toIntExact(n), cols, values);
    }

    /** Writes {@code m} as CSV, one row a line, every number round-tripping. */
    public static Path writeCsv(Path file, Matrix m) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                out.append(c == 0 ? "" : ",").append(m.get(r, c));
            }
            out.append('\n');
        }
        try {
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The names in folder {@code dir}, sorted. */
    public static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
