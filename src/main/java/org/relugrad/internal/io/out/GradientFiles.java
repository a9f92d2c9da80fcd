package org.relugrad.internal.io.out;

import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.StoredRows;
import org.relugrad.internal.io.TextFile;
import org.relugrad.internal.io.csv.CsvRows;
import org.relugrad.internal.io.csv.CsvStoredRows;
import org.relugrad.internal.io.csv.LineIndex;
import org.relugrad.internal.io.npy.NpyStoredRows;
import org.relugrad.internal.io.parquet.ParquetPartRows;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * A folder of gradients to check, on any Hadoop file system, in either layout:
 *
 * <pre>
 *   plain matrices, computed elsewhere    loss.txt, dW.csv|dW.npy, db.csv|db.npy (k values, shape (k,) or (1, k)),
 *                                         dX.csv|dX.npy, dY.csv|dY.npy (rows in input order, no row index)
 *   relugrad's own output folder          summary.json (its loss), dW.csv|dW.npy, db, and dX, dY as written in every
 *                                         format: dX/part-*.csv (lines "row,v1,..."), dX/part-*.npy, dX.npy
 *                                         (--single-file) or dX/part-*.parquet (columns row and dX)
 * </pre>
 *
 * Any of the tensors may be absent; a tensor found twice (dX.csv and dX/) is an error.
 */
public final class GradientFiles {
    /** The extensions a matrix may have, in the order they are looked for. */
    private static final List<String> MATRIX_EXTENSIONS = List.of(".csv", ".npy");
    /** The loss as relugrad's summary.json holds it: its first field, a number (null when not finite). */
    private static final Pattern SUMMARY_LOSS = Pattern.compile("\"loss\"\\s*:\\s*([^,\\s}]+)");
    private static final Pattern SUMMARY_BLOCK_ROWS = Pattern.compile("\"blockRows\"\\s*:\\s*(\\d+)");

    /** How a tensor is stored. */
    private enum Layout {
        LOSS_TEXT("loss.txt"), SUMMARY("summary.json"), CSV("csv"), NPY("npy"), CSV_PARTS("csv parts"),
        NPY_PARTS("npy parts"), PARQUET_PARTS("parquet parts");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    /** Where one tensor is: a file, or a folder of parts listed in row order. */
    private record Found(String file, Layout layout, List<TextFile> parts) {
    }

    private final String dir;
    private final Map<Output, Found> files;

    private GradientFiles(String dir, Map<Output, Found> files) {
        this.dir = dir;
        this.files = files;
    }

    /**
     * Looks for the tensors in {@code dir}.
     *
     * @throws InputException when the folder does not exist, holds none of them, holds one twice (dX.csv and
     *     dX.npy), or a folder of parts of no known kind
     */
    public static GradientFiles find(String dir, Configuration conf) {
        Path folder = new Path(dir);
        FileSystem fs = HadoopFiles.fileSystem(folder, conf);
        Map<Output, Found> found = new EnumMap<>(Output.class);
        try {
            if (!fs.getFileStatus(folder).isDirectory()) {
                throw new InputException(dir, 0, "is not a folder; give the folder that holds loss.txt or "
                        + "summary.json, dW, dX, dY");
            }
            boolean unfinished = fs.exists(new Path(folder, "_temporary"))
                    || fs.exists(new Path(folder, "summary.json.tmp"));
            if (unfinished && !fs.exists(new Path(folder, "summary.json"))) {
                throw new InputException(dir, 0, "is the output folder of a run that did not finish (it has no "
                        + "summary.json): its gradients are not a result; run grad again");
            }
            for (Output t : Output.values()) {
                List<Found> candidates = new ArrayList<>();
                if (t == Output.LOSS) {
                    addFile(fs, folder, "loss.txt", Layout.LOSS_TEXT, candidates);
                    addFile(fs, folder, "summary.json", Layout.SUMMARY, candidates);
                } else {
                    for (String ext : MATRIX_EXTENSIONS) {
                        addFile(fs, folder, t.label() + ext, ext.equals(".csv") ? Layout.CSV : Layout.NPY, candidates);
                    }
                    Path parts = new Path(folder, t.label());
                    if (t != Output.DW && t != Output.DB && fs.exists(parts) && fs.getFileStatus(parts).isDirectory()) {
                        candidates.add(parts(parts.toString(), conf));
                    }
                }
                if (candidates.size() > 1) {
                    throw new InputException(dir, 0, "holds both " + shortName(candidates.get(0)) + " and "
                            + shortName(candidates.get(1)) + "; keep one");
                }
                if (!candidates.isEmpty()) {
                    found.put(t, candidates.get(0));
                }
            }
        } catch (FileNotFoundException e) {
            throw new InputException(dir, 0, "no such folder");
        } catch (IOException e) {
            throw new InputException(dir, 0, "cannot be read: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw new InputException(dir, 0, "holds none of loss.txt, summary.json, dW, db, dX, dY (.csv or .npy "
                    + "files, or relugrad's folders of parts)");
        }
        return new GradientFiles(dir, found);
    }

    private static void addFile(FileSystem fs, Path folder, String name, Layout layout, List<Found> found)
            throws IOException {
        Path file = new Path(folder, name);
        if (fs.exists(file) && fs.getFileStatus(file).isFile()) {
            found.add(new Found(file.toString(), layout, List.of()));
        }
    }

    /** A folder of relugrad's parts: all .csv, all .npy or all .parquet. */
    private static Found parts(String folder, Configuration conf) throws IOException {
        List<TextFile> listed = HadoopFiles.listData(folder, conf, "", "give relugrad's folder of part files");
        Layout layout = null;
        for (TextFile part : listed) {
            String name = part.name().toLowerCase(java.util.Locale.ROOT);
            Layout kind = name.endsWith(".csv") ? Layout.CSV_PARTS : name.endsWith(".npy") ? Layout.NPY_PARTS
                    : name.endsWith(".parquet") ? Layout.PARQUET_PARTS : null;
            if (kind == null || layout != null && kind != layout) {
                throw new InputException(part.name(), 0, "is not a part of relugrad's output: the parts of a "
                        + "folder are all .csv, all .npy or all .parquet files");
            }
            layout = kind;
        }
        if (layout == null) {
            throw new InputException(folder, 0, "the folder holds no parts");
        }
        return new Found(folder, layout, listed);
    }

    private static String shortName(Found f) {
        String name = new Path(f.file()).getName();
        return f.parts().isEmpty() ? name : name + "/";
    }

    /** The folder as the user named it. */
    public String dir() {
        return dir;
    }

    /** The file (or folder of parts) holding {@code tensor}, or null when the folder has none. */
    public String file(Output tensor) {
        Found f = files.get(tensor);
        return f == null ? null : f.file();
    }

    public boolean has(Output tensor) {
        return files.containsKey(tensor);
    }

    /** What holds each tensor found, in the folder's words: "summary.json, dW.csv, dX/ (2 csv parts), ...". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        files.forEach((t, f) -> parts.add(shortName(f) + (f.parts().isEmpty() ? ""
                : " (" + f.parts().size() + " " + f.layout().label + ")")));
        return String.join(", ", parts);
    }

    /** The loss, from loss.txt or relugrad's summary.json. @throws InputException unless it holds one number */
    public double loss(Configuration conf) {
        Found f = files.get(Output.LOSS);
        String text = readAll(f.file(), conf);
        if (f.layout() == Layout.SUMMARY) {
            Matcher m = SUMMARY_LOSS.matcher(text);
            if (!m.find()) {
                throw new InputException(f.file(), 0, "has no \"loss\"; is it relugrad's summary.json?");
            }
            return number(m.group(1), f.file());
        }
        String value = text.strip().replaceAll("\\s+", " ");
        if (value.isEmpty() || value.contains(" ") || value.contains(",")) {
            throw new InputException(f.file(), 0, "expected one number, found '" + abbreviate(value) + "'");
        }
        return number(value, f.file());
    }

    /**
     * The block size of the run that wrote the folder (summary.json's blockRows), which the same bits need; 0 when
     * the folder does not say.
     */
    public int blockRows(Configuration conf) {
        Found f = files.get(Output.LOSS);
        if (f == null || f.layout() != Layout.SUMMARY) {
            return 0;
        }
        Matcher m = SUMMARY_BLOCK_ROWS.matcher(readAll(f.file(), conf));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static double number(String value, String file) {
        double[] one = new double[1];
        CsvRows.parse(value, file, 1, 1, "the loss", one, 0);
        return one[0];
    }

    private static String readAll(String file, Configuration conf) {
        try (BufferedReader in = HadoopFiles.openText(file, conf)) {
            StringBuilder text = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** A small matrix (dW) read whole on the driver, .csv or .npy. */
    public Matrix matrix(Output tensor, Configuration conf) {
        return MatrixFile.read(files.get(tensor).file(), conf);
    }

    /** A vector (db) of {@code length} values read whole on the driver: .npy (k,) or (1, k), or one CSV line. */
    public double[] vector(Output tensor, int length, Configuration conf) {
        return MatrixFile.readVector(files.get(tensor).file(), length, tensor.label(), conf);
    }

    /**
     * The stored rows of ∂f/∂X or ∂f/∂Y, for the tasks to read; null when the folder has none. Text files have
     * their lines counted by {@code work}.
     *
     * @throws InputException naming a file that cannot be read as its layout says
     */
    public StoredRows rows(Output tensor, Configuration conf, ParallelWork work) {
        Found f = files.get(tensor);
        if (f == null) {
            return null;
        }
        return switch (f.layout()) {
            case NPY -> new NpyStoredRows(f.file(), conf);
            case NPY_PARTS -> new NpyStoredRows(f.file(), f.parts().stream().map(TextFile::path).toList(), conf);
            case PARQUET_PARTS -> new ParquetPartRows(f.file(), tensor.label(), f.parts(), conf);
            case CSV, CSV_PARTS -> {
                boolean indexed = f.layout() == Layout.CSV_PARTS;
                String first = HadoopFiles.firstLine(HadoopFiles.listText(f.file(), conf), conf);
                int fields = first == null ? 0 : CsvRows.countFields(first);
                LineIndex lines = LineIndex.count(List.of(f.file()), conf, work).get(0);
                yield new CsvStoredRows(lines, indexed ? Math.max(0, fields - 1) : fields, indexed);
            }
            default -> throw new IllegalStateException(tensor + " is not stored by rows");
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
