package org.relugrad.internal.io.out;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.RowSink;
import org.relugrad.internal.io.RowWriter;
import org.relugrad.internal.io.csv.CsvMatrix;
import org.relugrad.internal.io.csv.CsvRowWriter;
import org.relugrad.internal.io.npy.NpyRowWriter;
import org.relugrad.internal.io.npy.NpySingleFile;
import org.relugrad.internal.io.parquet.ParquetRowWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * A gradient run's output folder on any Hadoop file system, in one of the {@link OutputFormat}s:
 *
 * <pre>
 *   DIR/dX/part-00000.csv ...   CSV: lines "row,v1,...,v_d", 0-based input row first, parts in row order
 *   DIR/dX/part-00000.npy ...   npy: each part a float64 .npy of its partition's rows, parts in row order
 *   DIR/dX.npy                  npy with one file: all rows, written by the tasks in parallel (see NpySingleFile)
 *   DIR/dX/part-00000.parquet   Parquet: columns row (long) and dX (array of double), parts in row order
 *   DIR/dY...                   the same for ∂f/∂Y
 *   DIR/dW.csv or DIR/dW.npy    d × k (.npy for the npy format)
 *   DIR/db.csv or DIR/db.npy    with a bias: k values, one CSV line, or a .npy of shape (k,) as PyTorch's
 *   DIR/summary.json            written last: its presence means the run succeeded
 * </pre>
 *
 * Task attempts write under DIR/_temporary/RUN, RUN new for every run, and the driver moves the kept attempts'
 * parts into place. A run whose driver was killed leaves DIR/_temporary behind and no summary.json; --overwrite
 * replaces such a folder. The run's own subfolder keeps an executor of that killed run, which may write on for a
 * moment, from writing over an attempt file of the run that replaces it (attempt ids start again at 0).
 */
public final class OutputFolder implements RowSink {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String run;
    private final HadoopConf conf;
    private final OutputFormat format;
    private final NpySingleFile singleFile;

    private OutputFolder(String dir, Configuration conf, OutputFormat format, NpySingleFile singleFile) {
        this.dir = dir;
        this.run = UUID.randomUUID().toString();
        this.conf = new HadoopConf(conf);
        this.format = format;
        this.singleFile = singleFile;
    }

    /** A CSV output folder; see {@link #create(String, boolean, Configuration, OutputFormat, boolean)}. */
    public static OutputFolder create(String dir, boolean overwrite, Configuration conf) {
        return create(dir, overwrite, conf, OutputFormat.CSV, false);
    }

    /**
     * Claims {@code dir} for a new run: it must not exist, unless {@code overwrite}, which deletes it first, but only
     * when it is an earlier run's output (it holds summary.json, summary.json.tmp or _temporary: a run that ended at
     * any moment, its driver killed too, leaves one of them) or empty: never a folder of inputs.
     *
     * @param singleFile for {@link OutputFormat#NPY}: one DIR/dX.npy and DIR/dY.npy instead of one part per partition
     * @throws InputException when it exists and may not be replaced
     */
    public static OutputFolder create(String dir, boolean overwrite, Configuration conf, OutputFormat format,
                                      boolean singleFile) {
        if (singleFile && format != OutputFormat.NPY) {
            throw new IllegalArgumentException("--single-file goes with --format npy");
        }
        Path root = new Path(dir);
        FileSystem fs = HadoopFiles.fileSystem(root, conf);
        OutputFolder folder = new OutputFolder(dir, conf, format,
                singleFile ? new NpySingleFile(NpySingleFile.allowsPositionedWrites(fs)) : null);
        claim(fs, root, dir, overwrite, folder.temporary());
        return folder;
    }

    /** For tests: an npy folder with one file per tensor, assembled from parts even on a local disk. */
    public static OutputFolder createAssembled(String dir, Configuration conf) {
        Path root = new Path(dir);
        OutputFolder folder = new OutputFolder(dir, conf, OutputFormat.NPY, new NpySingleFile(false));
        claim(HadoopFiles.fileSystem(root, conf), root, dir, false, folder.temporary());
        return folder;
    }

    private static void claim(FileSystem fs, Path root, String dir, boolean overwrite, Path attempts) {
        try {
            if (fs.exists(root)) {
                if (!overwrite) {
                    throw new InputException(dir, 0, "the output folder exists; choose another or pass --overwrite");
                }
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new InputException(dir, 0, "is a file, not an output folder; --overwrite replaces only folders");
                }
                boolean earlierRun = fs.exists(new Path(root, "summary.json"))
                        || fs.exists(new Path(root, "summary.json.tmp")) || fs.exists(new Path(root, "_temporary"));
                if (!earlierRun && fs.listStatus(root).length > 0) {
                    throw new InputException(dir, 0, "holds files but no summary.json: it is not the output of an "
                            + "earlier run, and --overwrite will not delete it");
                }
                // The old summary goes first, so an interrupted delete never leaves a folder that looks complete.
                fs.delete(new Path(root, "summary.json"), false);
                fs.delete(root, true);
            }
            fs.mkdirs(attempts);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void begin(Output tensor, long rows, int cols) {
        if (singleFile != null) {
            try {
                singleFile.begin(fs(), temporary(), tensor, rows, cols);
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public RowWriter open(Output tensor, int partition, long attemptId, long firstRow, long rows, int cols) {
        Path part = new Path(temporary(), tensor.label() + "/" + partName(partition) + ".attempt-" + attemptId);
        try {
            if (singleFile != null) {
                return singleFile.open(fs(), temporary(), tensor, partition, attemptId, firstRow, rows, cols);
            }
            return switch (format) {
                case CSV -> new CsvRowWriter(fs().create(part, true), part.toString(), cols);
                case NPY -> new NpyRowWriter(fs().create(part, true), part.toString(), rows, cols, true);
                case PARQUET -> new ParquetRowWriter(part, conf.get(), tensor.label(), cols);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(part + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(Output tensor, SortedMap<Integer, String> parts) {
        FileSystem fs = fs();
        Path folder = new Path(dir, tensor.label());
        try {
            if (singleFile != null) {
                singleFile.commit(fs, temporary(), new Path(dir), tensor, parts);
                return;
            }
            fs.mkdirs(folder);
            for (Map.Entry<Integer, String> part : parts.entrySet()) {
                Path target = new Path(folder, partName(part.getKey()));
                if (!fs.rename(new Path(part.getValue()), target)) {
                    throw new IOException("could not move " + part.getValue() + " to " + target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes DIR/dW.npy in the npy format, else DIR/dW.csv. */
    public void writeDW(Matrix dW) {
        if (format == OutputFormat.NPY) {
            try (NpyRowWriter out = new NpyRowWriter(fs().create(new Path(dir, "dW.npy"), true), dir + "/dW.npy",
                    dW.rows(), dW.cols(), true)) {
                out.write(0, dW.rows(), dW.values());
                out.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(dir + "/dW.npy: " + e.getMessage(), e);
            }
            return;
        }
        try (Writer out = create("dW.csv")) {
            CsvMatrix.write(dW, out);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + "/dW.csv: " + e.getMessage(), e);
        }
    }

    /** Writes DIR/db.npy (shape (k,)) in the npy format, else DIR/db.csv (one line). */
    public void writeDB(double[] db) {
        String name = format == OutputFormat.NPY ? "db.npy" : "db.csv";
        try {
            VectorFile.write(fs(), new Path(dir, name), format == OutputFormat.NPY, db);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + "/" + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes the attempts' leftovers and writes DIR/summary.json, the mark of a complete run. */
    public void finish(Map<String, Object> summary) {
        try {
            // Written aside and renamed, so that a summary.json is never seen half-written; written before
            // _temporary goes, so that a driver killed in between leaves a folder --overwrite knows as a run's.
            try (Writer out = create("summary.json.tmp")) {
                out.write(Json.object(summary));
                out.write('\n');
            }
            fs().delete(new Path(dir, "_temporary"), true);
            if (!fs().rename(new Path(dir, "summary.json.tmp"), new Path(dir, "summary.json"))) {
                throw new IOException("could not rename summary.json.tmp to summary.json");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + "/summary.json: " + e.getMessage(), e);
        }
    }

    /** After a failure: removes what this run wrote, leaving no folder that could pass for a result. */
    public void abandon() {
        try {
            fs().delete(new Path(dir), true);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private Writer create(String name) throws IOException {
        Path path = new Path(dir, name);
        return new BufferedWriter(new OutputStreamWriter(fs().create(path, true), StandardCharsets.UTF_8));
    }

    private FileSystem fs() {
        return HadoopFiles.fileSystem(new Path(dir), conf.get());
    }

    /** This run's attempts: DIR/_temporary/RUN. */
    private Path temporary() {
        return new Path(new Path(dir, "_temporary"), run);
    }

    private String partName(int partition) {
        return String.format("part-%05d.", partition) + format.extension();
    }
}
