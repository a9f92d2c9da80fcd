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
}
