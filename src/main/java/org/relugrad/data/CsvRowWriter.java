package org.relugrad.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes rows as CSV lines {@code row,v1,...,v_cols}, each number as {@link Double#toString(double)}. */
final class CsvRowWriter extends PartWriter {
    private final Writer out;
    private final int cols;
    private final StringBuilder line = new StringBuilder(256);

    CsvRowWriter(OutputStream stream, String name, int cols) {
        super(name, ANY_ROWS);
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.cols = cols;
    }

    @Override
    protected void writeRows(long firstRow, int rows, double[] values) throws IOException {
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
    }

    @Override
    protected void closeOutput() throws IOException {
        out.close();
    }
}
