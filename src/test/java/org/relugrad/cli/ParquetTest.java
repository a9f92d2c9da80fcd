package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.ParquetTables;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/** grad on Parquet tables written by Spark SQL from the fixtures, and --format parquet read back by Spark SQL. */
class ParquetTest extends SharedSpark {
    @TempDir
    Path tmp;

    private SparkSession spark() {
        return SparkSession.builder().config(sc.getConf()).getOrCreate();
    }

    private static double[] row(Matrix m, int r) {
        return java.util.Arrays.copyOfRange(m.values(), r * m.cols(), (r + 1) * m.cols());
    }

    /** Writes X and Y as a table of {@code files} part files, in row order: columns (row?) x, y as arrays. */
    private Path arrayTable(String name, Matrix x, Matrix y, int files, boolean withRow) {
        List<StructField> fields = new ArrayList<>();
        if (withRow) {
            fields.add(DataTypes.createStructField("row", DataTypes.LongType, false));
        }
        fields.add(DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType), true));
        fields.add(DataTypes.createStructField("y", DataTypes.createArrayType(DataTypes.DoubleType), true));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < x.rows(); r++) {
            rows.add(withRow ? RowFactory.create((long) r, row(x, r), row(y, r)) : RowFactory.create(row(x, r), row(y, r)));
        }
        return write(name, rows, DataTypes.createStructType(fields), files);
    }

    private Path write(String name, List<Row> rows, StructType schema, int files) {
        Path out = tmp.resolve(name);
        spark().createDataFrame(sc.parallelize(rows, files), schema).write().option("parquet.block.size", 1024)
                .parquet(out.toString());
        return out;
    }

    private CliRun grad(Path table, String w, String... extra) {
        List<String> args = new ArrayList<>(List.of("grad", "--table", table.toString(), "--w", w,
                "--out", tmp.resolve("out").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    private double loss() throws Exception {
        return new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile()).get("loss").asDouble();
    }

    /** DIR/{tensor} read back through Spark SQL, ordered by its row column, checking each row 0..n-1 once. */
    private Matrix readBack(String tensor) {
        List<Row> rows = spark().read().parquet(tmp.resolve("out").resolve(tensor).toString()).orderBy("row")
                .collectAsList();
        int cols = rows.get(0).getList(1).size();
        double[] values = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(r, rows.get(r).getLong(0));
            List<Object> v = rows.get(r).getList(1);
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (Double) v.get(c);
            }
        }
        return new Matrix(rows.size(), cols, values);
    }

    @Test
    void arrayColumnsInSeveralFilesGiveTheFixturesGradientsAsParquet() throws Exception {
        Fixture f = Fixture.load("seed");
        Path table = arrayTable("seed.parquet", f.x(), f.y(), 3, false);
        CliRun run = grad(table, Fixture.path("seed", "W.npy").toString(), "--partitions", "3", "--block-rows", "2");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Math.abs(loss() - f.loss()) <= 1e-12 * f.loss());
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(tmp.resolve("out/dW.csv")), f.dW()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(readBack("dX"), f.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(readBack("dY"), f.dY()) <= 1e-12);
        StructType schema = spark().read().parquet(tmp.resolve("out/dX").toString()).schema();
        assertEquals(DataTypes.LongType, schema.apply("row").dataType());
        assertEquals(DataTypes.DoubleType,
                ((org.apache.spark.sql.types.ArrayType) schema.apply("dX").dataType()).elementType());
        try (Stream<Path> parts = Files.list(tmp.resolve("out/dX"))) {
            assertEquals(List.of("part-00000.parquet", "part-00001.parquet", "part-00002.parquet"),
                    parts.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * Scalar columns, rows stored in reverse order with a row column, small row groups read in splits smaller than
     * a file: the same as NumPy's gradients of the rows in index order.
     */
    @Test
    void scalarColumnsWithARowColumnInAnyOrderReadInManySplits() throws Exception {
        Matrix x = Fixture.matrix("npy/big", "X.csv");
        Matrix y = Fixture.matrix("npy/big", "Y.csv");
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("index", DataTypes.IntegerType, false));
        for (int c = 0; c < 5; c++) {
            fields.add(DataTypes.createStructField("x" + c, DataTypes.DoubleType, false));
        }
        for (int c = 0; c < 3; c++) {
            fields.add(DataTypes.createStructField("y" + c, DataTypes.DoubleType, false));
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            Object[] v = new Object[9];
            v[0] = r;
            for (int c = 0; c < 5; c++) {
                v[1 + c] = x.get(r, c);
            }
            for (int c = 0; c < 3; c++) {
                v[6 + c] = y.get(r, c);
            }
            rows.add(RowFactory.create(v));
        }
        Collections.reverse(rows);
        Path table = write("big.parquet", rows, DataTypes.createStructType(fields), 2);
        spark().conf().set("spark.sql.files.maxPartitionBytes", "2048");
        spark().conf().set("spark.sql.files.openCostInBytes", "0");
        try {
            CliRun run = grad(table, Fixture.path("npy/big", "W.csv").toString(), "--row-column", "index",
                    "--format", "csv", "--partitions", "5", "--block-rows", "16");
            assertEquals(0, run.exit(), run.err());
            assertTrue(spark().read().parquet(table.toString()).javaRDD().getNumPartitions() > 2, "splits");
        } finally {
            spark().conf().unset("spark.sql.files.maxPartitionBytes");
            spark().conf().unset("spark.sql.files.openCostInBytes");
        }
        double numpy = Double.parseDouble(Fixture.text("npy/big", "loss.txt").trim());
        assertTrue(Math.abs(loss() - numpy) <= 1e-12 * numpy);
        Path out = tmp.resolve("out");
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("dW.csv")),
                Fixture.matrix("npy/big", "dW.csv")) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dX", 300, 5),
                Fixture.matrix("npy/big", "dX.csv")) <= 1e-12);
    }

    /** Without a row column, rows are numbered by file name, then by their index in the file, across splits. */
    @Test
    void withoutARowColumnRowsFollowTheFilesInNameOrderAcrossSplits() throws Exception {
        Path table = arrayTable("big.parquet", Fixture.matrix("npy/big", "X.csv"), Fixture.matrix("npy/big", "Y.csv"),
                3, false);
        spark().conf().set("spark.sql.files.maxPartitionBytes", "2048");
        spark().conf().set("spark.sql.files.openCostInBytes", "0");
        try {
            assertTrue(spark().read().parquet(table.toString()).javaRDD().getNumPartitions() > 3, "splits");
            CliRun run = grad(table, Fixture.path("npy/big", "W.npy").toString(), "--partitions", "4",
                    "--block-rows", "32");
            assertEquals(0, run.exit(), run.err());
        } finally {
            spark().conf().unset("spark.sql.files.maxPartitionBytes");
            spark().conf().unset("spark.sql.files.openCostInBytes");
        }
        double numpy = Double.parseDouble(Fixture.text("npy/big", "loss.txt").trim());
        assertTrue(Math.abs(loss() - numpy) <= 1e-12 * numpy);
        assertTrue(NaiveGradient.relativeError(readBack("dY"), Fixture.matrix("npy/big", "dY.csv")) <= 1e-12);
    }

    @Test
    void parquetInputGivesTheSameBitsAsTheCsvInput() throws Exception {
        Fixture f = Fixture.load("ties");
        Path table = arrayTable("ties.parquet", f.x(), f.y(), 2, true);
        CliRun parquet = grad(table, Fixture.path("ties", "W.csv").toString(), "--row-column", "row",
                "--format", "npy", "--single-file");
        assertEquals(0, parquet.exit(), parquet.err());
        double fromTable = loss();
        CliRun csv = CliRun.of(sc, "grad", "--x", Fixture.path("ties", "X.csv").toString(), "--y",
                Fixture.path("ties", "Y.csv").toString(), "--w", Fixture.path("ties", "W.csv").toString(),
                "--out", tmp.resolve("out").toString(), "--overwrite", "--format", "npy", "--single-file");
        assertEquals(0, csv.exit(), csv.err());
        assertEquals(loss(), fromTable);
        assertEquals(f.loss(), fromTable);
    }

    /** loss, dW, dX and dY of one run written as CSV to {@code out}, as text: equal text is equal bits. */
    private static List<String> results(Path out, long n, int d, int k) throws Exception {
        List<String> all = new ArrayList<>();
        all.add(new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("loss").asText());
        all.add(Files.readString(out.resolve("dW.csv")));
        for (String tensor : List.of("dX", "dY")) {
            Matrix m = OutputFiles.perRow(out, tensor, n, tensor.equals("dX") ? d : k);
            all.add(java.util.Arrays.toString(m.values()));
        }
        return all;
    }

    /**
     * The same rows as Parquet tables of several files of small row groups (blocks span row groups and files), in
     * both layouts, with a row column in file order and out of it (one shuffle): every partitioning gives the
     * bits of the .npy input.
     */
    @Test
    void everyTableAndPartitioningGivesTheBitsOfTheNpyInput() throws Exception {
        Matrix x = Fixture.matrix("npy/big", "X.csv");
        Matrix y = Fixture.matrix("npy/big", "Y.csv");
        int n = x.rows();
        Path reference = tmp.resolve("reference");
        CliRun npy = CliRun.of(sc, "grad", "--x", Fixture.path("npy/big", "X.npy").toString(), "--y",
                Fixture.path("npy/big", "Y.npy").toString(), "--w", Fixture.path("npy/big", "W.npy").toString(),
                "--out", reference.toString(), "--format", "csv", "--block-rows", "16");
        assertEquals(0, npy.exit(), npy.err());
        // The bits every table must give are NumPy's results too (the fixture's), not only the .npy input's.
        double numpy = Double.parseDouble(Fixture.text("npy/big", "loss.txt").trim());
        double loss = new ObjectMapper().readTree(reference.resolve("summary.json").toFile()).get("loss").asDouble();
        assertTrue(Math.abs(loss - numpy) <= 1e-12 * numpy, loss + " vs NumPy's " + numpy);
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(reference.resolve("dW.csv")),
                Fixture.matrix("npy/big", "dW.csv")) <= 1e-12, "dW");
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(reference, "dX", n, 5),
                Fixture.matrix("npy/big", "dX.csv")) <= 1e-12, "dX");
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(reference, "dY", n, 3),
                Fixture.matrix("npy/big", "dY.csv")) <= 1e-12, "dY");
        List<String> expected = results(reference, n, 5, 3);

        record Case(String name, ParquetTables.Shape shape, long[] order, String rowColumn) {
        }
        List<Case> cases = List.of(
                new Case("arrays", new ParquetTables.Shape(true, false, false, false, 3, 7, 3),
                        ParquetTables.inOrder(n), null),
                new Case("scalars", new ParquetTables.Shape(false, true, true, true, 2, 11, 4),
                        ParquetTables.inOrder(n), null),
                new Case("in order", new ParquetTables.Shape(true, true, false, false, 4, 9, 9),
                        ParquetTables.inOrder(n), "row"),
                new Case("shuffled", new ParquetTables.Shape(true, false, true, false, 3, 13, 5),
                        ParquetTables.shuffled(n, 11), "row"));
        for (Case c : cases) {
            Path table = ParquetTables.write(tmp.resolve(c.name()), x, y, c.order(), c.rowColumn() != null, c.shape());
            for (int partitions : new int[] {1, 2, 5}) {
                List<String> args = new ArrayList<>(List.of("grad", "--table", table.toString(), "--w",
                        Fixture.path("npy/big", "W.npy").toString(), "--out", tmp.resolve("out").toString(),
                        "--overwrite", "--format", "csv", "--block-rows", "16", "--partitions",
                        String.valueOf(partitions)));
                if (c.rowColumn() != null) {
                    args.addAll(List.of("--row-column", c.rowColumn()));
                }
                CliRun run = CliRun.of(sc, args.toArray(String[]::new));
                assertEquals(0, run.exit(), c.name() + ": " + run.err());
                assertEquals(expected, results(tmp.resolve("out"), n, 5, 3), c.name() + ", " + partitions);
            }
        }
    }

    @Test
    void missingColumnsBadRowNumbersAndNaNAreOneLineErrorsNamingTheTable() {
        Fixture f = Fixture.load("seed");
        String w = Fixture.path("seed", "W.csv").toString();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            double[] xs = row(f.x(), r);
            if (r == 7) {
                xs[2] = Double.NaN;
            }
            rows.add(RowFactory.create(r == 9 ? 3L : (long) r, xs, row(f.y(), r)));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("row", DataTypes.LongType, false),
                DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType), true),
                DataTypes.createStructField("y", DataTypes.createArrayType(DataTypes.DoubleType), true)));
        Path table = write("bad.parquet", rows, schema, 2);

        assertOneLineError(grad(table, w, "--row-column", "row"),
                table + ": the row column 'row' must number the 10 rows 0..9 once each");
        assertOneLineError(grad(table, w), table + " row 7: x[2] is NaN");
        assertOneLineError(grad(table, w, "--row-column", "nope"), table + ": has no row column 'nope'");
        Path narrow = write("narrow.parquet", List.of(RowFactory.create(1.0, 2.0)), DataTypes.createStructType(List.of(
                DataTypes.createStructField("x0", DataTypes.DoubleType, false),
                DataTypes.createStructField("y0", DataTypes.DoubleType, false))), 1);
        Path missing = tmp.resolve("missing.parquet");
        assertOneLineError(grad(missing, w), missing + ": cannot be read as Parquet: ");
        assertOneLineError(grad(Fixture.path("seed", "X.csv"), w), "X.csv: cannot be read as Parquet: ");
        assertOneLineError(grad(narrow, w), narrow + ": needs the columns x and y (array<double> or array<float>), "
                + "or x0..x3 and y0..y3 (double or float) for W of 4 x 4");
    }

    /**
     * Rows out of file order, read with one shuffle: a number used twice (so another is missing, which statistics
     * cannot show) and a bad value, named by its row's number, are one-line errors too.
     */
    @Test
    void aShuffledRowColumnWithARepeatedNumberOrABadValueIsAOneLineError() {
        Matrix x = Fixture.matrix("npy/big", "X.csv");
        Matrix y = Fixture.matrix("npy/big", "Y.csv");
        ParquetTables.Shape shape = new ParquetTables.Shape(true, false, false, false, 3, 10, 5);
        long[] order = ParquetTables.shuffled(x.rows(), 5);
        for (int i = 0; i < order.length; i++) {
            if (order[i] == 77) {
                order[i] = 78;
            }
        }
        String w = Fixture.path("npy/big", "W.npy").toString();
        Path twice = ParquetTables.write(tmp.resolve("twice"), x, y, order, true, shape);
        assertOneLineError(grad(twice, w, "--row-column", "row", "--partitions", "3", "--block-rows", "16"),
                twice + ": the row column 'row' must number the 300 rows 0..299 once each; row 78 appears more "
                        + "than once");

        double[] bad = x.values().clone();
        bad[200 * x.cols() + 1] = Double.POSITIVE_INFINITY;
        Path inf = ParquetTables.write(tmp.resolve("inf"), new Matrix(x.rows(), x.cols(), bad), y,
                ParquetTables.shuffled(x.rows(), 5), true, shape);
        assertOneLineError(grad(inf, w, "--row-column", "row", "--partitions", "3", "--block-rows", "16"),
                inf + " row 200: x[1] is Infinity; values must be finite numbers (" + inf + "/part-");
    }

    private void assertOneLineError(CliRun run, String message) {
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertFalse(Files.exists(tmp.resolve("out/summary.json")));
    }
}
