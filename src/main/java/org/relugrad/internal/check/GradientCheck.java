package org.relugrad.internal.check;

import org.relugrad.internal.io.MatrixFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.internal.io.out.GradientFiles;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.StoredRows;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.internal.engine.PreparedInput;
import org.relugrad.internal.kernel.ExactSum;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * The three gradient checks, each one pass (two for partitions) over an input of any size: against gradients
 * computed elsewhere, against finite differences, and of one partitioning against another.
 */
public final class GradientCheck {
    private final GradientJob job;
    private final int blockRows;
    private final Configuration conf;
    /** The file of the bias b, or null for a layer without one. */
    private final String biasFile;

    /** @param blockRows rows per block, as for grad */
    public GradientCheck(GradientJob job, int blockRows) {
        this(job, blockRows, null);
    }

    /**
     * @param blockRows rows per block, as for grad
     * @param biasFile the bias b (.npy of shape (k,) or (1, k), or one CSV line), or null for none: with it, db is
     *     compared, perturbed and repartitioned like dW
     */
    public GradientCheck(GradientJob job, int blockRows, String biasFile) {
        this.job = job;
        this.blockRows = blockRows;
        this.conf = job.hadoopConfiguration();
        this.biasFile = biasFile;
    }

    /** The bias for {@code prepared}'s k, or null without one. */
    private double[] bias(PreparedInput prepared) {
        return biasFile == null ? null : MatrixFile.readVector(biasFile, prepared.k(), "b", conf);
    }

    /**
     * Compares relugrad's gradients with those in {@code dir} (any of the loss, dW, dX, dY, as plain matrices or
     * as relugrad's output folder in any format, see {@link GradientFiles}), each element with {@code tolerance}, or
     * bit for bit when both its tolerances are 0; dX and dY are compared inside the tasks. Without a block size of
     * its own, the check uses the one the folder's summary.json records, so a run's own output compares bit for bit.
     *
     * @throws InputException when the folder or a file in it cannot be read or has the wrong shape
     */
    public CheckReport expected(RowRangeInput input, String dir, Tolerance tolerance) {
        GradientFiles files = GradientFiles.find(dir, conf);
        int recorded = blockRows == org.relugrad.Blocking.CHOSEN_BLOCK_ROWS ? files.blockRows(conf) : 0;
        PreparedInput prepared = job.prepare(input, 0, recorded > 0 ? recorded : blockRows);
        Tolerance allowed = tolerance.rtol() == 0 && tolerance.atol() == 0 ? null : tolerance;
        Matrix w = prepared.w();
        double[] b = bias(prepared);
        Matrix dW = files.has(Output.DW) ? suppliedDW(files, w) : null;
        double[] db = files.has(Output.DB) ? suppliedDB(files, b, w.cols()) : null;
        StoredRows dX = rowsOf(files, Output.DX, prepared.rows(), w.rows());
        StoredRows dY = rowsOf(files, Output.DY, prepared.rows(), w.cols());
        double loss = files.has(Output.LOSS) ? files.loss(conf) : Double.NaN;

        EnumSet<Output> computed = EnumSet.of(Output.LOSS);
        if (dW != null) {
            computed.add(Output.DW);
        }
        if (db != null) {
            computed.add(Output.DB);
        }
        if (dX != null) {
            computed.add(Output.DX);
        }
        if (dY != null) {
            computed.add(Output.DY);
        }
        GradientJob.Checked pass = job.check(prepared, b, computed,
                new ExpectedRows(dX, dY, allowed, new HadoopConf(conf)));
        GradientResult own = pass.gradient();
        List<TensorComparison> tensors = new ArrayList<>();
        if (files.has(Output.LOSS)) {
            TensorComparison c = new TensorComparison("loss", 1, allowed);
            c.add(0, own.loss(), loss);
            tensors.add(c);
        }
        if (dW != null) {
            TensorComparison c = new TensorComparison("dW", w.cols(), allowed);
            c.add(0, own.dW().values(), dW.values(), dW.values().length);
            tensors.add(c);
        }
        if (db != null) {
            TensorComparison c = new TensorComparison("db", w.cols(), allowed);
            c.add(0, own.db(), db, db.length);
            tensors.add(c);
        }
        ExpectedRows.Compared rows = (ExpectedRows.Compared) pass.part();
        if (dX != null) {
            tensors.add(rows.dX);
        }
        if (dY != null) {
            tensors.add(rows.dY);
        }
        Map<String, Object> about = about(input, own);
        about.put("expected", dir);
        about.put("expectedFiles", files.describe());
        List<String> absent = new ArrayList<>();
        for (Output t : Output.values()) {
            if (!files.has(t) && (t != Output.DB || b != null)) {
                absent.add(t.label());
            }
        }
        about.put("absent", absent);
        return new CheckReport("expected", about, tensors, List.of());
    }

    /**
     * Checks a gradient against central differences of f along {@code settings.directions()} random directions,
     * each tensor's part of a direction on its own. The gradient is relugrad's, or the one in {@code gradientDir}
     * (any of dW, dX, dY; only those present are checked).
     *
     * @param gradientDir a folder of supplied gradients, or null
     */
    public CheckReport finiteDifferences(RowRangeInput input, FiniteDifferenceSettings settings, String gradientDir) {
        GradientFiles files = gradientDir == null ? null : GradientFiles.find(gradientDir, conf);
        if (files != null && !files.has(Output.DW) && !files.has(Output.DB) && !files.has(Output.DX)
                && !files.has(Output.DY)) {
            throw new InputException(gradientDir, 0, "holds none of dW, db, dX, dY (.csv or .npy) to check");
        }
        PreparedInput prepared = job.prepare(input, 0, blockRows);
        Matrix w = prepared.w();
        double[] b = bias(prepared);
        double[] suppliedDB = null;
        List<Integer> probes = new ArrayList<>();
        EnumSet<Output> computed = EnumSet.of(Output.LOSS);
        Matrix suppliedDW = null;
        StoredRows dX = null;
        StoredRows dY = null;
        if (files == null) {
            probes.addAll(List.of(CentralDifferences.W, CentralDifferences.X, CentralDifferences.Y));
            computed.addAll(EnumSet.of(Output.DW, Output.DX, Output.DY));
            if (b != null) {
                probes.add(CentralDifferences.B);
                computed.add(Output.DB);
            }
        } else {
            if (files.has(Output.DB)) {
                suppliedDB = suppliedDB(files, b, w.cols());
                probes.add(CentralDifferences.B);
            }
            if (files.has(Output.DW)) {
                suppliedDW = suppliedDW(files, w);
                probes.add(CentralDifferences.W);
            }
            dX = rowsOf(files, Output.DX, prepared.rows(), w.rows());
            if (dX != null) {
                probes.add(CentralDifferences.X);
            }
            dY = rowsOf(files, Output.DY, prepared.rows(), w.cols());
            if (dY != null) {
                probes.add(CentralDifferences.Y);
            }
        }
        Directions directions = new Directions(settings.directions(), settings.seed());
        double eps = settings.eps();
        boolean[] probed = new boolean[CentralDifferences.PROBES];
        probes.forEach(p -> probed[p] = true);
        GradientJob.Checked pass = job.check(prepared, b, computed,
                new CentralDifferences(w, b, directions, eps, probed, dX, dY, new HadoopConf(conf)));
        GradientResult own = pass.gradient();
        Matrix dW = suppliedDW != null ? suppliedDW : own.dW();
        double[] db = suppliedDB != null ? suppliedDB : own.db();
        CentralDifferences.Sums sums = (CentralDifferences.Sums) pass.part();

        List<DirectionCheck> checks = new ArrayList<>();
        for (int m = 0; m < directions.count(); m++) {
            for (int probe : probes) {
                double analytic = probe == CentralDifferences.W
                        ? dot(dW.values(), directions.w(m, w.rows(), w.cols()).values())
                        : probe == CentralDifferences.B ? dot(db, directions.b(m, w.cols()))
                        : sums.sums.rounded(CentralDifferences.Sums.slot(m, probe, CentralDifferences.ANALYTIC));
                double twoEps = 2 * eps;
                double scale = Math.sqrt(sums.sums.rounded(
                        CentralDifferences.Sums.slot(m, probe, CentralDifferences.SQUARES))) / twoEps;
                checks.add(new DirectionCheck(m, CentralDifferences.NAMES.get(probe), analytic,
                        sums.sums.rounded(CentralDifferences.Sums.slot(m, probe, CentralDifferences.RAW)) / twoEps,
                        sums.sums.rounded(CentralDifferences.Sums.slot(m, probe, CentralDifferences.PIECE)) / twoEps,
                        sums.crossings[m * CentralDifferences.PROBES + probe],
                        sums.sums.rounded(CentralDifferences.Sums.slot(m, probe, CentralDifferences.KINK)) / twoEps,
                        scale, settings.rtol() * scale));
            }
        }
        Map<String, Object> about = about(input, own);
        about.put("gradient", gradientDir == null ? "relugrad" : gradientDir);
        about.put("eps", eps);
        about.put("directions", directions.count());
        about.put("seed", directions.seed());
        about.put("fdRtol", settings.rtol());
        return new CheckReport("fd", about, List.of(), checks);
    }

    /** Computes f and ∂f/∂W (and ∂f/∂b with a bias) at two partitionings; they must agree to the bit. */
    public CheckReport partitions(RowRangeInput input, int first, int second) {
        PreparedInput firstPrepared = job.prepare(input, first, blockRows);
        double[] bias = bias(firstPrepared);
        GradientResult a = lossAndDW(firstPrepared, bias);
        GradientResult b = lossAndDW(job.prepare(input, second, blockRows), bias);
        Map<String, Object> about = about(input, a);
        about.put("partitions", List.of(first, second));
        return new CheckReport("partitions", about, compareBitwise(a, b), List.of());
    }

    /** Loss and dW (and db, where both have one) of {@code b} compared bit for bit with those of {@code a}. */
    static List<TensorComparison> compareBitwise(GradientResult a, GradientResult b) {
        TensorComparison loss = TensorComparison.bitwise("loss", 1);
        loss.add(0, b.loss(), a.loss());
        TensorComparison dW = TensorComparison.bitwise("dW", a.k());
        dW.add(0, b.dW().values(), a.dW().values(), a.dW().values().length);
        if (a.db() == null || b.db() == null) {
            return List.of(loss, dW);
        }
        TensorComparison db = TensorComparison.bitwise("db", a.k());
        db.add(0, b.db(), a.db(), a.db().length);
        return List.of(loss, dW, db);
    }

    /** Loss and dW, and db with the bias {@code b} (read once for both partitionings; null: none). */
    private GradientResult lossAndDW(PreparedInput prepared, double[] b) {
        return job.run(prepared, prepared.w(), b, b == null ? EnumSet.of(Output.LOSS, Output.DW)
                : EnumSet.of(Output.LOSS, Output.DW, Output.DB), null);
    }

    /**
     * The supplied ∂f/∂b, k values.
     *
     * @throws InputException when there is no bias to compare it at, or it is not k values
     */
    private double[] suppliedDB(GradientFiles files, double[] b, int k) {
        if (b == null) {
            throw new InputException(files.file(Output.DB), 0, "is the gradient of a bias: give the bias with --b");
        }
        return files.vector(Output.DB, k, conf);
    }

    private Matrix suppliedDW(GradientFiles files, Matrix w) {
        Matrix dW = files.matrix(Output.DW, conf);
        requireShape(files.file(Output.DW), dW.rows(), dW.cols(), w.rows(), w.cols(), "d x k, W's shape");
        return dW;
    }

    /** The stored rows of dX or dY, their shape checked against n × width; null when the folder has none. */
    private StoredRows rowsOf(GradientFiles files, Output tensor, long n, int width) {
        StoredRows rows = files.rows(tensor, conf, job.parallelWork());
        if (rows != null) {
            requireShape(files.file(tensor), rows.rows(), rows.cols(), n, width,
                    tensor == Output.DX ? "n x d, X's shape" : "n x k, Y's shape");
        }
        return rows;
    }

    private static void requireShape(String file, long rows, int cols, long wantRows, int wantCols, String what) {
        if (rows != wantRows || cols != wantCols) {
            throw new InputException(file, 0, "is " + rows + " x " + cols + " but must be " + wantRows + " x "
                    + wantCols + " (" + what + ")");
        }
    }

    /** ⟨x, y⟩ summed exactly. */
    private static double dot(double[] x, double[] y) {
        ExactSum sum = new ExactSum(1);
        for (int i = 0; i < x.length; i++) {
            double p = x[i] * y[i];
            sum.add(0, p);
            sum.add(0, Math.fma(x[i], y[i], -p));
        }
        return sum.rounded(0);
    }

    private static Map<String, Object> about(RowRangeInput input, GradientResult result) {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("input", input.describe());
        about.put("rows", result.rows());
        about.put("d", result.d());
        about.put("k", result.k());
        about.put("blockRows", result.blockRows());
        about.put("loss", result.loss());
        return about;
    }
}
