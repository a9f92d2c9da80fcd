package org.relugrad.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.relugrad.math.Matrix;
import org.relugrad.math.Tensor;

/**
 * A folder of gradients computed elsewhere (PyTorch, NumPy, an older run): any of loss.txt, dW, dX and dY, each a
 * plain matrix (.csv, or .npy) with rows in input order and no row index.
 */
public final class GradientFiles {
    /** The extensions a matrix may have, in the order they are looked for. */
    private static final List<String> MATRIX_EXTENSIONS = List.of(".csv", ".npy");

    private final String dir;
    private final Map<Tensor, String> files;

    private GradientFiles(String dir, Map<Tensor, String> files) {
        this.dir = dir;
        this.files = files;
    }

    /**
     * Looks for the tensors in {@code dir}.
     *
     * @throws InputException when the folder does not exist, holds none of them, or holds one twice (dX.csv and dX.npy)
     */
    public static GradientFiles find(String dir, Configuration conf) {
        Path folder = new Path(dir);
        FileSystem fs = HadoopFiles.fileSystem(folder, conf);
        Map<Tensor, String> found = new EnumMap<>(Tensor.class);
        try {
            if (!fs.getFileStatus(folder).isDirectory()) {
                throw new InputException(dir, 0, "is not a folder; give the folder that holds loss.txt, dW, dX, dY");
            }
            for (Tensor t : Tensor.values()) {
                List<String> names = new ArrayList<>();
                for (String name : t == Tensor.LOSS ? List.of("loss.txt") : MATRIX_EXTENSIONS.stream()
                        .map(ext -> t.label() + ext).toList()) {
                    if (fs.exists(new Path(folder, name))) {
                        names.add(name);
                    }
                }
                if (names.size() > 1) {
                    throw new InputException(dir, 0, "holds both " + names.get(0) + " and " + names.get(1)
                            + "; keep one");
                }
                if (!names.isEmpty()) {
                    found.put(t, new Path(folder, names.get(0)).toString());
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InputException(dir, 0, "no such folder");
        } catch (IOException e) {
            throw new InputException(dir, 0, "cannot be read: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw new InputException(dir, 0, "holds none of loss.txt, dW.csv, dX.csv, dY.csv (or .npy)");
        }
        return new GradientFiles(dir, found);
    }

    /** The folder as the user named it. */
    public String dir() {
        return dir;
    }

    /** The file holding {@code tensor}, or null when the folder has none. */
    public String file(Tensor tensor) {
        return files.get(tensor);
    }

    public boolean has(Tensor tensor) {
        return files.containsKey(tensor);
    }

    /** Whether {@code tensor}'s file is a .npy file. */
    public boolean isNpy(Tensor tensor) {
        return has(tensor) && files.get(tensor).endsWith(".npy");
    }

    /** The number in loss.txt. @throws InputException unless it holds exactly one number */
    public double loss(Configuration conf) {
        String file = files.get(Tensor.LOSS);
        try (BufferedReader in = HadoopFiles.openText(file, conf)) {
            StringBuilder text = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line.strip()).append(' ');
            }
            String value = text.toString().strip();
            if (value.isEmpty() || value.contains(" ") || value.contains(",")) {
                throw new InputException(file, 0, "expected one number, found '" + abbreviate(value) + "'");
            }
            double[] one = new double[1];
            CsvRows.parse(value, file, 1, 1, "the loss", one, 0);
            return one[0];
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** A small matrix (dW) read whole on the driver, .csv or .npy. */
    public Matrix matrix(Tensor tensor, Configuration conf) {
        return MatrixFile.read(files.get(tensor), conf);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
