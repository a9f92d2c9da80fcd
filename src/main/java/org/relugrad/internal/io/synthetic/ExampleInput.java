package org.relugrad.internal.io.synthetic;

import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.csv.CsvMatrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * The example of the notebook relugrad began as, shipped in the jar: {@code torch.manual_seed(0)}, then
 * {@code x = torch.randn(10, 4)}, {@code W = torch.randn(4, 4)}, {@code y = torch.randn(10, 4)}, widened to
 * float64. Its loss is f = 99.90477712668212.
 */
public final class ExampleInput implements RowRangeInput {
    private static final long serialVersionUID = 1L;
    private static final String FOLDER = "/org/relugrad/example/";

    private final Matrix x = resource("X.csv");
    private final Matrix y = resource("Y.csv");
    private final Matrix w = resource("W.csv");

    @Override
    public Matrix open(Configuration conf) {
        return w;
    }

    @Override
    public long rows() {
        return x.rows();
    }

    @Override
    public RowBlock read(long firstRow, int count) {
        int first = Math.toIntExact(firstRow);
        double[] xs = new double[count * x.cols()];
        double[] ys = new double[count * y.cols()];
        System.arraycopy(x.values(), first * x.cols(), xs, 0, xs.length);
        System.arraycopy(y.values(), first * y.cols(), ys, 0, ys.length);
        return new RowBlock(firstRow, count, x.cols(), y.cols(), xs, ys);
    }

    @Override
    public String describe() {
        return "example: the seed notebook's 10 rows (torch.manual_seed(0))";
    }

    private static Matrix resource(String name) {
        try (InputStream stream = ExampleInput.class.getResourceAsStream(FOLDER + name)) {
            if (stream == null) {
                throw new IllegalStateException("the built-in example " + name + " is missing from the jar");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            return CsvMatrix.read(in, "example " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
