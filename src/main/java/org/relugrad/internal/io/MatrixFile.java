package org.relugrad.internal.io;

import org.relugrad.internal.io.csv.CsvMatrix;
import org.relugrad.internal.io.npy.NpyMatrix;

import java.io.BufferedReader;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.Matrix;

/** A whole small matrix (W) from a file: .npy by its extension, CSV otherwise. */
public final class MatrixFile {
    private MatrixFile() {
    }

    /** Whether {@code file} names a .npy file (by its extension, case-insensitive). */
    public static boolean isNpy(String file) {
        return file.toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
    }

    /**
     * The columns of the matrix in {@code file} (a file or, for CSV, a folder of files), from what tells them
     * without reading the values: a .npy header, or the values on a CSV input's first line.
     *
     * @throws InputException naming the file when it cannot be read or has no first line
     */
    public static int columns(String file, Configuration conf) {
        if (isNpy(file)) {
            return NpyMatrix.open(file, conf).cols();
        }
        String line = HadoopFiles.firstLine(HadoopFiles.listText(file, conf), conf);
        if (line == null || line.isBlank()) {
            throw new InputException(file, 1, "the first line is empty");
        }
        return line.split(",", -1).length;
    }

    /**
     * Reads all of {@code file}.
     *
     * @throws InputException naming the file for anything malformed
     */
    public static Matrix read(String file, Configuration conf) {
        if (isNpy(file)) {
            return NpyMatrix.open(file, conf).readAll();
        }
        try (BufferedReader in = HadoopFiles.openText(file, conf)) {
            return CsvMatrix.read(in, file);
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads a vector of {@code length} values (a bias) from {@code file}: a .npy array of shape (length,) or
     * (1, length), or a CSV file of one line of length numbers.
     *
     * @param what the vector's name for messages, "b"
     * @throws InputException naming the file for anything malformed or of another length
     */
    public static double[] readVector(String file, int length, String what, Configuration conf) {
        Matrix m;
        if (isNpy(file)) {
            m = NpyMatrix.open(file, conf, true).readAll();
        } else {
            m = read(file, conf);
        }
        if (m.rows() != 1 || m.cols() != length) {
            throw new InputException(file, 0, what + " is " + m.rows() + " x " + m.cols() + ", but Y has " + length
                    + " columns, so " + what + " must hold " + length + " values: shape (" + length + ",) or (1, "
                    + length + ") in a .npy file, or one line of " + length + " numbers in a CSV file");
        }
        return m.values().clone();
    }
}
