package org.relugrad.internal.io.out;

import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.io.RowWriter;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * A sink for a few rows, to print them: each part carries its rows themselves (as round-tripping text) to the
 * driver. Only for small n; large outputs go to an {@link OutputFolder}.
 */
public final class CollectedRows implements RowSink {
    private static final long serialVersionUID = 1L;

    private final transient Map<Output, List<double[]>> collected = new EnumMap<>(Output.class);

    @Override
    public RowWriter open(Output tensor, int partition, long attemptId, long firstRow, long rows, int cols) {
        return new RowWriter() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public void write(long firstRow, int rows, double[] values) {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        text.append(c == 0 ? "" : ",").append(values[r * cols + c]);
                    }
                    text.append('\n');
                }
            }

            @Override
            public String finish() {
                return text.toString();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void commit(Output tensor, SortedMap<Integer, String> parts) {
        List<double[]> rows = collected.computeIfAbsent(tensor, t -> new ArrayList<>());
        for (String part : parts.values()) {
            for (String line : part.split("\n")) {
                if (!line.isEmpty()) {
                    String[] fields = line.split(",");
                    double[] row = new double[fields.length];
                    for (int c = 0; c < fields.length; c++) {
                        row[c] = Double.parseDouble(fields[c]);
                    }
                    rows.add(row);
                }
            }
        }
    }

    /** The committed rows of {@code tensor}, in row order, as a matrix; null when none were written. */
    public Matrix rows(Output tensor) {
        List<double[]> rows = collected.get(tensor);
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        int cols = rows.get(0).length;
        double[] values = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * cols, cols);
        }
        return new Matrix(rows.size(), cols, values);
    }
}
