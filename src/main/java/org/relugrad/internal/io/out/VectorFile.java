package org.relugrad.internal.io.out;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.relugrad.Matrix;
import org.relugrad.internal.io.csv.CsvMatrix;
import org.relugrad.internal.io.npy.NpyRowWriter;

/** A vector of k values (b, ∂f/∂b) as a file: a 1-D .npy of shape (k,), as PyTorch's bias, or one CSV line. */
final class VectorFile {
    private VectorFile() {
    }

    /** Writes {@code values} to {@code file}: .npy where {@code npy}, else CSV. */
    static void write(FileSystem fs, Path file, boolean npy, double[] values) throws IOException {
        if (npy) {
            NpyRowWriter.writeVector(fs.create(file, true), values);
            return;
        }
        try (Writer out = new BufferedWriter(new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8))) {
            CsvMatrix.write(new Matrix(1, values.length, values), out);
        }
    }
}
