package org.relugrad.cli;

import org.relugrad.internal.io.csv.CsvInput;
import org.relugrad.internal.io.synthetic.ExampleInput;
import org.relugrad.internal.io.RowRangeInput;
import org.relugrad.internal.io.MatrixFile;
import org.relugrad.internal.io.npy.NpyInput;
import org.relugrad.internal.io.out.OutputFormat;
import org.relugrad.internal.io.parquet.ParquetInput;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import picocli.CommandLine.Option;

/**
 * The options that name an input, shared by every command that reads one: .npy or CSV files (told apart by X's
 * extension), a Parquet table, a generator, or the example.
 */
final class InputOptions {
    @Option(names = "--x", paramLabel = "X.npy|X.csv",
            description = "X, n x d: a 2-D float64/float32 .npy file, or CSV (one row a line, comma-separated)")
    String xFile;

    @Option(names = "--y", paramLabel = "Y.npy|Y.csv",
            description = "Y, n x k, rows aligned with X's; in the same format as X")
    String yFile;

    @Option(names = "--w", paramLabel = "W.npy|W.csv", description = "W, d x k, .npy or CSV")
    String wFile;

    @Option(names = "--b", paramLabel = "B.npy|B.csv",
            description = "a bias b of k values, Z = XW + b: .npy of shape (k,) or (1, k), or one CSV line; grad and "
                    + "check add db = 1^T G to the outputs; for fit, b0, with --bias")
    String bFile;

    @Option(names = "--table", paramLabel = "TABLE.parquet",
            description = "X and Y as one Parquet table (file or folder): columns x and y (array<double> or "
                    + "array<float>), or x0..x{d-1} and y0..y{k-1}; with --w")
    String table;

    @Option(names = "--row-column", paramLabel = "NAME",
            description = "with --table: the column that numbers the rows 0..n-1 (default: the files in name order, "
                    + "then each file's row order)")
    String rowColumn;

    @Option(names = "--generate", paramLabel = "N,D,K,SEED",
            description = "synthetic data made inside the tasks (see the manual's inputs page for the exact recipe)")
    String generate;

    /**
     * The input the options name; the built-in example when none is given.
     *
     * @throws IllegalArgumentException for options that do not go together or do not parse
     */
    RowRangeInput input() {
        if (rowColumn != null && table == null) {
            throw new IllegalArgumentException("--row-column goes with --table");
        }
        if (table != null) {
            if (xFile != null || yFile != null || generate != null) {
                throw new IllegalArgumentException("--table holds X and Y: give it with --w only");
            }
            if (wFile == null) {
                throw new IllegalArgumentException("--table needs --w");
            }
            return new ParquetInput(table, wFile, rowColumn);
        }
        boolean files = xFile != null || yFile != null || wFile != null;
        if (files && generate != null) {
            throw new IllegalArgumentException("give either --x/--y/--w or --generate, not both");
        }
        if (files) {
            if (xFile == null || yFile == null || wFile == null) {
                throw new IllegalArgumentException("--x, --y and --w go together");
            }
            if (MatrixFile.isNpy(xFile) != MatrixFile.isNpy(yFile)) {
                throw new IllegalArgumentException("--x and --y must be both .npy or both CSV, got " + xFile
                        + " and " + yFile);
            }
            return MatrixFile.isNpy(xFile) ? new NpyInput(xFile, yFile, wFile) : new CsvInput(xFile, yFile, wFile);
        }
        if (generate != null) {
            return synthetic(generate);
        }
        return new ExampleInput();
    }

    /**
     * The bias --b names, k values, or null without --b.
     *
     * @throws org.relugrad.internal.io.InputException naming the file when it cannot be read or is not k values
     */
    double[] bias(int k, org.apache.hadoop.conf.Configuration conf) {
        return bFile == null ? null : MatrixFile.readVector(bFile, k, "b", conf);
    }

    /** The output format that matches the input: npy for .npy files, Parquet for a table, CSV otherwise. */
    OutputFormat format() {
        if (table != null) {
            return OutputFormat.PARQUET;
        }
        return xFile != null && MatrixFile.isNpy(xFile) ? OutputFormat.NPY : OutputFormat.CSV;
    }

    private static RowRangeInput synthetic(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("--generate takes N,D,K,SEED, got '" + spec + "'");
        }
        try {
            return new SyntheticInput(Long.parseLong(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()), Long.parseLong(parts[3].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--generate takes four integers N,D,K,SEED, got '" + spec + "'");
        }
    }
}
