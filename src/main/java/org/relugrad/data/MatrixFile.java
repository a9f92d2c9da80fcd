package org.relugrad.data;

import java.io.BufferedReader;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.math.Matrix;

/** A whole small matrix (W) from a file: .npy by its extension, CSV otherwise. */
public final class MatrixFile {
    private MatrixFile() {
    }

    /** Whether {@code file} names a .npy file (by its extension, case-insensitive). */
    public static boolean isNpy(String file) {
        return file.toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
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
