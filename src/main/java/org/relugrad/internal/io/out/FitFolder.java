package org.relugrad.internal.io.out;

import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.csv.CsvMatrix;
import org.relugrad.internal.io.npy.NpyRowWriter;

import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;
import org.relugrad.Matrix;

/**
 * A training's output folder on any Hadoop file system:
 *
 * <pre>
 *   DIR/arguments.txt             the fit's command line (input and settings), one argument a line, for --resume
 *   DIR/W0.npy or DIR/W0.csv      W0, when it was made (--init) rather than read
 *   DIR/checkpoint-00010/state     the optimizer's whole state after iteration 10 (bytes the training defines)
 *   DIR/checkpoint-00010/W.npy     W then (W.csv for CSV), for people and for a new --w
 *   DIR/checkpoint-00010/b.npy     with --bias, b then (b.csv for CSV; shape (k,), as torch.nn.Linear's bias)
 *   DIR/W.npy or DIR/W.csv         the trained W, written at the end
 *   DIR/b.npy or DIR/b.csv         with --bias, the trained b
 *   DIR/loss.svg                   the loss against the iteration
 *   DIR/summary.json               written last: its presence means the training ended
 * </pre>
 *
 * A checkpoint is written whole into DIR/_checkpoint.tmp and renamed into place, then the one before it is deleted,
 * so at every moment the newest checkpoint-N folder is complete, whenever the driver is killed.
 */
public final class FitFolder {
    private static final String CHECKPOINT = "checkpoint-";
    private static final String STATE = "state";

    private final String dir;
    private final Configuration conf;
    private final OutputFormat format;

    private FitFolder(String dir, Configuration conf, OutputFormat format) {
        this.dir = dir;
        this.conf = conf;
        this.format = format;
    }

    /**
     * Claims {@code dir} for a new training: it must not exist, unless {@code overwrite} and it is an earlier
     * training's folder (it holds summary.json or a checkpoint) or empty.
     *
     * @param format how W is written: {@link OutputFormat#NPY} for .npy, else CSV
     * @throws InputException when it exists and may not be replaced
     */
    public static FitFolder create(String dir, boolean overwrite, Configuration conf, OutputFormat format) {
        FitFolder folder = new FitFolder(dir, conf, format);
        Path root = new Path(dir);
        FileSystem fs = folder.fs();
        try {
            if (fs.exists(root)) {
                if (!overwrite) {
                    throw new InputException(dir, 0, "the output folder exists; choose another, pass --overwrite, "
                            + "or --resume it");
                }
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new InputException(dir, 0, "is a file, not an output folder; --overwrite replaces only folders");
                }
                if (!folder.isTraining() && fs.listStatus(root).length > 0) {
                    throw new InputException(dir, 0, "holds files but no summary.json or arguments.txt: it is not "
                            + "the output of an earlier fit, and --overwrite will not delete it");
                }
                fs.delete(new Path(root, "summary.json"), false);
                fs.delete(root, true);
            }
            fs.mkdirs(root);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        return folder;
    }

    /**
     * The folder of a training that was stopped before it ended, to go on with.
     *
     * @throws InputException when it is not such a folder
     */
    public static FitFolder resume(String dir, Configuration conf, OutputFormat format) {
        FitFolder folder = new FitFolder(dir, conf, format);
        try {
            if (!folder.fs().exists(new Path(dir))) {
                throw new InputException(dir, 0, "no such folder to resume");
            }
            if (folder.fs().exists(new Path(dir, "summary.json"))) {
                throw new InputException(dir, 0, "holds a fit that ended (summary.json); there is nothing to resume");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        return folder;
    }

    /** Writes the fit's arguments, one a line, to DIR/arguments.txt. */
    public void writeArguments(java.util.List<String> arguments) {
        for (String argument : arguments) {
            if (argument.contains("\n")) {
                throw new IllegalArgumentException("an argument holds a line break: " + argument);
            }
        }
        try (Writer out = text("arguments.txt")) {
            out.write(String.join("\n", arguments) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(dir + "/arguments.txt: " + e.getMessage(), e);
        }
    }

    /**
     * The arguments {@link #writeArguments} wrote.
     *
     * @throws InputException when the folder has none
     */
    public java.util.List<String> readArguments() {
        Path file = new Path(dir, "arguments.txt");
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(fs().open(file),
                StandardCharsets.UTF_8))) {
            return in.lines().toList();
        } catch (FileNotFoundException e) {
            throw new InputException(dir, 0, "holds no arguments.txt: it is not the folder of a fit");
        } catch (IOException e) {
            throw new InputException(dir + "/arguments.txt", 0, "cannot be read: " + e.getMessage());
        }
    }

    /** Where W0 is kept when it was made, not read: DIR/W0.npy or DIR/W0.csv. */
    public String w0File() {
        return new Path(dir, "W0." + (format == OutputFormat.NPY ? "npy" : "csv")).toString();
    }

    /** Writes W0 to {@link #w0File}. */
    public void writeW0(Matrix w0) {
        try {
            writeMatrix(new Path(w0File()), w0);
        } catch (IOException e) {
            throw new UncheckedIOException(w0File() + ": " + e.getMessage(), e);
        }
    }

    /** Whether any checkpoint is there (a failed fit then leaves its folder, to resume). */
    public boolean hasCheckpoint() {
        try {
            return checkpoints().findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The newest checkpoint's state bytes, if any was written. */
    public Optional<byte[]> latestState() {
        try {
            Optional<Path> newest = checkpoints().reduce((a, b) -> b);
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            Path state = new Path(newest.get(), STATE);
            long length = fs().getFileStatus(state).getLen();
            byte[] bytes = new byte[Math.toIntExact(length)];
            try (var in = fs().open(state)) {
                IOUtils.readFully(in, bytes, 0, bytes.length);
            }
            return Optional.of(bytes);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InputException(dir, 0, "its checkpoint cannot be read: " + e.getMessage());
        }
    }

    /**
     * Writes the checkpoint of {@code iteration}, atomically, and then deletes the ones before it.
     *
     * @param b the bias then, or null for a layer without one
     */
    public void writeCheckpoint(int iteration, byte[] state, Matrix w, double[] b) {
        Path aside = new Path(dir, "_checkpoint.tmp");
        Path target = new Path(dir, String.format("%s%05d", CHECKPOINT, iteration));
        FileSystem fs = fs();
        try {
            fs.delete(aside, true);
            fs.mkdirs(aside);
            try (OutputStream out = fs.create(new Path(aside, STATE), true)) {
                out.write(state);
            }
            writeMatrix(new Path(aside, wName()), w);
            if (b != null) {
                VectorFile.write(fs, new Path(aside, bName()), format == OutputFormat.NPY, b);
            }
            fs.delete(target, true);
            if (!fs.rename(aside, target)) {
                throw new IOException("could not rename " + aside + " to " + target);
            }
            for (Path older : checkpoints().filter(p -> !p.getName().equals(target.getName())).toList()) {
                fs.delete(older, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": the checkpoint cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the trained W (and b, where not null), the plot, then summary.json (aside and renamed), and last removes
     * the checkpoints.
     */
    public void finish(Matrix w, double[] b, String lossSvg, Map<String, Object> summary) {
        FileSystem fs = fs();
        try {
            writeMatrix(new Path(dir, wName()), w);
            if (b != null) {
                VectorFile.write(fs, new Path(dir, bName()), format == OutputFormat.NPY, b);
            }
            try (Writer out = text("loss.svg")) {
                out.write(lossSvg);
            }
            try (Writer out = text("summary.json.tmp")) {
                out.write(Json.object(summary));
                out.write('\n');
            }
            if (!fs.rename(new Path(dir, "summary.json.tmp"), new Path(dir, "summary.json"))) {
                throw new IOException("could not rename summary.json.tmp to summary.json");
            }
            for (Path checkpoint : checkpoints().toList()) {
                fs.delete(checkpoint, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** After a failure before any checkpoint: removes the folder, which holds nothing to resume. */
    public void abandon() {
        try {
            fs().delete(new Path(dir), true);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** b's file name in this folder's format: b.npy or b.csv. */
    public String bName() {
        return format == OutputFormat.NPY ? "b.npy" : "b.csv";
    }

    /** W's file name in this folder's format: W.npy or W.csv. */
    public String wName() {
        return format == OutputFormat.NPY ? "W.npy" : "W.csv";
    }

    private boolean isTraining() throws IOException {
        return fs().exists(new Path(dir, "summary.json")) || fs().exists(new Path(dir, "arguments.txt"))
                || checkpoints().findAny().isPresent();
    }

    /** The checkpoint folders, oldest first. */
    private java.util.stream.Stream<Path> checkpoints() throws IOException {
        FileStatus[] listed = fs().listStatus(new Path(dir), p -> p.getName().startsWith(CHECKPOINT));
        return Arrays.stream(listed).filter(FileStatus::isDirectory).map(FileStatus::getPath)
                .sorted(Comparator.comparing(Path::getName));
    }

    private void writeMatrix(Path file, Matrix w) throws IOException {
        if (format == OutputFormat.NPY) {
            try (NpyRowWriter out = new NpyRowWriter(fs().create(file, true), file.toString(), w.rows(), w.cols(),
                    true)) {
                out.write(0, w.rows(), w.values());
                out.finish();
            }
            return;
        }
        try (Writer out = new BufferedWriter(new OutputStreamWriter(fs().create(file, true), StandardCharsets.UTF_8))) {
            CsvMatrix.write(w, out);
        }
    }

    private Writer text(String name) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fs().create(new Path(dir, name), true),
                StandardCharsets.UTF_8));
    }

    private FileSystem fs() {
        return HadoopFiles.fileSystem(new Path(dir), conf);
    }
}
