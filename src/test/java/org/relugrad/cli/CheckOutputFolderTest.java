package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.math.Matrix;

/**
 * check --expected on relugrad's own output folders, in every format: every tensor is read and compared, bit for
 * bit with --rtol 0 --atol 0, and one value changed by one unit in the last place is found where it was changed.
 * The folders' contents are first read with this test's own readers and held against the PyTorch fixture.
 */
class CheckOutputFolderTest extends SharedSpark {
    private static final String[] EXACT = {"--rtol", "0", "--atol", "0"};

    @TempDir
    Path tmp;

    private SparkSession spark() {
        return SparkSession.builder().config(sc.getConf()).getOrCreate();
    }

    private List<String> seedInput() {
        Path dir = Fixture.load("seed").copyInputsTo(tmp);
        return List.of("--x", dir.resolve("X.csv").toString(), "--y", dir.resolve("Y.csv").toString(),
                "--w", dir.resolve("W.csv").toString());
    }

    /** grad of the seed fixture into tmp/FORMAT: 10 rows in blocks of 4, three partitions, so three parts. */
    private Path grad(String format, String... extra) {
        Path out = tmp.resolve(format);
        List<String> args = new ArrayList<>(List.of("grad"));
        args.addAll(seedInput());
        args.addAll(List.of("--out", out.toString(), "--partitions", "3", "--block-rows", "4"));
        if (format.equals("npy-single")) {
            args.addAll(List.of("--format", "npy", "--single-file"));
        } else {
            args.addAll(List.of("--format", format));
        }
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(sc, args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return out;
    }

    private CliRun check(Path expected, String... extra) {
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(seedInput());
        args.addAll(List.of("--expected", expected.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    /** The table's line for {@code tensor}. */
    private static String row(CliRun run, String tensor) {
        return run.out().lines().filter(l -> l.startsWith(tensor + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + tensor + ":\n" + run.out()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv", "npy", "npy-single", "parquet"})
    void everyTensorOfEveryFormatIsComparedBitForBitAndOneUlpFails(String format) throws IOException {
        Fixture seed = Fixture.load("seed");
        Path out = grad(format);
        assertTrue(NaiveGradient.relativeError(readBack(out, format, "dX"), seed.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(readBack(out, format, "dY"), seed.dY()) <= 1e-12);

        CliRun exact = check(out, EXACT);
        assertEquals(0, exact.exit(), exact.out() + exact.err());
        assertTrue(exact.out().contains("compared: loss, dW, dX, dY; absent from " + out + ", not compared: none"),
                exact.out());
        for (String tensor : List.of("loss", "dW", "dX", "dY")) {
            String[] cells = row(exact, tensor).trim().split("\\s+");
            assertEquals(tensor.equals("loss") ? "1" : tensor.equals("dW") ? "16" : "40", cells[1], exact.out());
            assertEquals("0", cells[2], exact.out());
        }

        nudgeLastDY(out, format);
        CliRun ulp = check(out, EXACT);
        assertEquals(1, ulp.exit(), ulp.out() + ulp.err());
        assertTrue(ulp.out().contains("check FAILED: dY"), ulp.out());
        String dY = row(ulp, "dY");
        assertTrue(dY.contains(" 1 ") && dY.contains("[9,3]") && dY.endsWith("FAIL"), ulp.out());
        CliRun close = check(out);
        assertEquals(0, close.exit(), close.out());
    }

    @Test
    void aLossOneUlpAwayInSummaryJsonFails() throws IOException {
        Path out = grad("csv");
        Path summary = out.resolve("summary.json");
        String text = Files.readString(summary);
        Matcher loss = Pattern.compile("\"loss\": ([^,]+),").matcher(text);
        assertTrue(loss.find(), text);
        double nudged = Math.nextUp(Double.parseDouble(loss.group(1)));
        Files.writeString(summary, loss.replaceFirst("\"loss\": " + nudged + ","));
        CliRun run = check(out, EXACT);
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("check FAILED: loss"), run.out());
        assertTrue(row(run, "dX").endsWith("ok") && row(run, "dY").endsWith("ok"), run.out());
        assertTrue(row(run, "loss").contains(MatrixText.seventeenDigits(nudged)), run.out());
    }

    @Test
    void tensorsTheRunDidNotWriteAreNamedAsAbsent() {
        Path out = grad("npy", "--outputs", "loss,dW");
        CliRun run = check(out, EXACT);
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("compared: loss, dW; absent from " + out + ", not compared: dX, dY"),
                run.out());
    }

    /** A tensor of the folder read with this test's own readers. */
    private Matrix readBack(Path out, String format, String tensor) {
        return switch (format) {
            case "csv" -> OutputFiles.perRow(out, tensor, 10, 4);
            case "npy" -> NpyFile.stackParts(out, tensor);
            case "npy-single" -> NpyFile.read(out.resolve(tensor + ".npy"));
            default -> parquetRows(out.resolve(tensor));
        };
    }

    /** A folder of Parquet parts read through Spark SQL, ordered by row, each row 0..n-1 once. */
    private Matrix parquetRows(Path folder) {
        List<Row> rows = spark().read().parquet(folder.toString()).orderBy("row").collectAsList();
        int cols = rows.get(0).getList(1).size();
        double[] values = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(r, rows.get(r).getLong(0));
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = (Double) rows.get(r).getList(1).get(c);
            }
        }
        return new Matrix(rows.size(), cols, values);
    }

    /** Moves dY[9, 3], the last value, one unit in the last place up, in the folder's own layout. */
    private void nudgeLastDY(Path out, String format) throws IOException {
        switch (format) {
            case "csv" -> {
                Path part = lastPart(out.resolve("dY"));
                List<String> lines = new ArrayList<>(Files.readAllLines(part));
                String[] f = lines.get(lines.size() - 1).split(",");
                assertEquals("9", f[0]);
                f[4] = Double.toString(Math.nextUp(Double.parseDouble(f[4])));
                lines.set(lines.size() - 1, String.join(",", f));
                Files.write(part, lines);
            }
            case "npy", "npy-single" -> {
                Path file = format.equals("npy") ? lastPart(out.resolve("dY")) : out.resolve("dY.npy");
                byte[] bytes = Files.readAllBytes(file);
                ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                b.putDouble(bytes.length - 8, Math.nextUp(b.getDouble(bytes.length - 8)));
                Files.write(file, bytes);
            }
            default -> {
                // Written again by Spark SQL, in its own layout of array<double> (nullable lists and elements).
                Matrix dY = parquetRows(out.resolve("dY"));
                dY.values()[39] = Math.nextUp(dY.values()[39]);
                List<Row> rows = new ArrayList<>();
                for (int r = 0; r < 10; r++) {
                    rows.add(RowFactory.create((long) r, java.util.Arrays.copyOfRange(dY.values(), 4 * r, 4 * r + 4)));
                }
                StructType schema = DataTypes.createStructType(List.of(
                        DataTypes.createStructField("row", DataTypes.LongType, false),
                        DataTypes.createStructField("dY", DataTypes.createArrayType(DataTypes.DoubleType), true)));
                spark().createDataFrame(sc.parallelize(rows, 2), schema).write().mode("overwrite")
                        .parquet(out.resolve("dY").toString());
            }
        }
    }

    private static Path lastPart(Path folder) throws IOException {
        try (Stream<Path> parts = Files.list(folder)) {
            return parts.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
