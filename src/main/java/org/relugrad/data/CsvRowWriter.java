package org.relugrad.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes rows as CSV lines {@code row,v1,...,v_cols}, each number as {@link Double#toString(double)}. */
final class CsvRowWriter implements RowWriter {
    private final Writer out;
    private final String name;
    private final int cols;
    private final StringBuilder line = new StringBuilder(256);
    private boolean closed;

    CsvRowWriter(OutputStream stream, String name, int cols) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.name = name;
        this.cols = cols;
    }

    @Override
    public void write(long firstRow, int rows, double[] values) {
        try {
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(firstRow + r);
                int base = r * cols;
                for (int c = 0; c < cols; c++) {
                    line.append(',').append(values[base + c]);
                }
                line.append('\n');
                out.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String finish() {
        close();
        return name;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }
}
