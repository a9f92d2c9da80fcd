package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.OutputFiles;
import org.relugrad.ParquetTables;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/**
 * check --expected on relugrad's own output folders, in every format: every tensor is read and compared, bit for
 * bit with --rtol 0 --atol 0, and one value changed by one unit in the last place is found where it was changed.
 * The folders' contents are first read with this test's own readers and held against the PyTorch fixture.
 */
class CheckOutputFolderTest extends SharedSpark {
    private static final String[] EXACT = {"--rtol", "0", "--atol", "0"};

    @TempDir
    Path tmp;

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

    @Test
    void theFolderOfARunThatDidNotFinishIsRefused() throws IOException {
        Path out = grad("npy");
        Files.delete(out.resolve("summary.json"));
        Files.createDirectories(out.resolve("_temporary/0"));
        CliRun run = check(out);
        assertEquals(2, run.exit(), run.out() + run.err());
        assertEquals(List.of("relugrad: " + out + ": is the output folder of a run that did not finish (it has no "
                + "summary.json): its gradients are not a result; run grad again"), run.errLines());
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

    /** A folder of Parquet parts read with parquet-hadoop's example reader, in name order, each row 0..n-1 in turn. */
    private static Matrix parquetRows(Path folder) {
        List<double[]> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(folder)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                try (ParquetReader<Group> in = ParquetReader.builder(new GroupReadSupport(),
                        new org.apache.hadoop.fs.Path(part.toString())).build()) {
                    String column = folder.getFileName().toString();
                    for (Group g = in.read(); g != null; g = in.read()) {
                        assertEquals(rows.size(), g.getLong("row", 0));
                        Group list = g.getGroup(column, 0);
                        double[] row = new double[list.getFieldRepetitionCount("list")];
                        for (int c = 0; c < row.length; c++) {
                            row[c] = list.getGroup("list", c).getDouble("element", 0);
                        }
                        rows.add(row);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] values = new double[rows.size() * rows.get(0).length];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * rows.get(0).length, rows.get(0).length);
        }
        return new Matrix(rows.size(), rows.get(0).length, values);
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
                // Written again in the layout Spark SQL gives array<double> (nullable lists and elements), in two
                // files of row groups of 3 rows, version 2 pages of 2: the parts need not be relugrad's own.
                Matrix dY = parquetRows(out.resolve("dY"));
                dY.values()[39] = Math.nextUp(dY.values()[39]);
                MessageType schema = MessageTypeParser.parseMessageType("message spark_schema { required int64 row; "
                        + "optional group dY (LIST) { repeated group list { optional double element; } } }");
                deleteFolder(out.resolve("dY"));
                ParquetTables.write(out.resolve("dY"), schema, ParquetTables.inOrder(10),
                        new ParquetTables.Shape(true, true, true, false, 2, 3, 2), (stored, row, g) -> {
                            g.add("row", row);
                            ParquetTables.addList(g.addGroup("dY"), dY, (int) row);
                        });
            }
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(folder);
    }

    private static Path lastPart(Path folder) throws IOException {
        try (Stream<Path> parts = Files.list(folder)) {
            return parts.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
