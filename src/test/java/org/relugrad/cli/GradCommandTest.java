package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;
import org.relugrad.Matrix;

/** relugrad grad as a user runs it: what it prints and writes. */
class GradCommandTest extends SharedSpark {
    @TempDir
    Path tmp;

    /** The numbers of the matrix printed under {@code title}, read back from the text. */
    private static Matrix printed(String out, String title, boolean rowIndex) {
        List<String> lines = out.lines().toList();
        int at = 0;
        while (!lines.get(at).startsWith(title)) {
            at++;
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            String body = rowIndex ? lines.get(i).substring(lines.get(i).indexOf(':') + 1) : lines.get(i);
            rows.add(java.util.Arrays.stream(body.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
        }
        int cols = rows.get(0).length;
        double[] v = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, v, r * cols, cols);
        }
        return new Matrix(rows.size(), cols, v);
    }

    private static List<String> labels(JsonNode array) {
        List<String> labels = new ArrayList<>();
        array.forEach(t -> labels.add(t.asText()));
        return labels;
    }

    @Test
    void withoutArgumentsPrintsTheNotebookExample() {
        Fixture f = Fixture.load("seed");
        CliRun run = CliRun.of(sc, "grad");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("loss = 99.90477712668212"), run.out());
        assertTrue(NaiveGradient.relativeError(printed(run.out(), "dW", false), f.dW()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(printed(run.out(), "dX", true), f.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(printed(run.out(), "dY", true), f.dY()) <= 1e-12);
    }

    @Test
    void largeInputsPrintLossAndDWButNotPerRowGradients() {
        CliRun run = CliRun.of(sc, "grad", "--generate", "101,3,2,9");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("dW = X^T G (3 x 2)"), run.out());
        assertTrue(!run.out().contains("dX = ") && run.out().contains("printed for n <= 100"), run.out());
    }

    @Test
    void wideMatricesPrintTheirCornersAndPrintFullEverything() {
        int columns = MatrixText.terminalColumns(System.getenv("COLUMNS"));
        CliRun corners = CliRun.of(sc, "grad", "--generate", "20,16,16,3");
        assertEquals(0, corners.exit(), corners.err());
        assertTrue(corners.out().lines().allMatch(l -> l.length() <= columns), corners.out());
        assertTrue(corners.out().contains("dX = G W^T (20 x 16; corners, --print full shows all)"), corners.out());

        CliRun full = CliRun.of(sc, "grad", "--generate", "20,16,16,3", "--print", "full");
        assertEquals(0, full.exit(), full.err());
        Matrix dX = printed(full.out(), "dX", true);
        assertEquals(20, dX.rows());
        assertEquals(16, dX.cols());
        // The corners printed are the same numbers, at their places.
        String row19 = corners.out().lines().filter(l -> l.startsWith("  19:")).findFirst().orElseThrow();
        String[] cells = row19.substring(row19.indexOf(':') + 1).trim().split("\\s+");
        assertEquals(dX.get(19, 0), Double.parseDouble(cells[0]));
        assertEquals("...", cells[cells.length / 2]);
        assertEquals(dX.get(19, 15), Double.parseDouble(cells[cells.length - 1]));

        CliRun wrong = CliRun.of(sc, "grad", "--print", "some");
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("--print takes summary or full"), wrong.err());
    }

    @Test
    void outWritesSummaryDWAndPerRowParts() throws Exception {
        Fixture f = Fixture.load("seed");
        Path in = f.copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of(sc, "grad", "--x", in.resolve("X.csv").toString(), "--y", in.resolve("Y.csv").toString(),
                "--w", in.resolve("W.csv").toString(), "--out", out.toString(), "--partitions", "3", "--block-rows", "4");
        assertEquals(0, run.exit(), run.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(Math.abs(summary.get("loss").asDouble() - f.loss()) <= 1e-12 * f.loss());
        assertEquals(10, summary.get("rows").asLong());
        assertEquals(4, summary.get("d").asInt());
        assertEquals(4, summary.get("k").asInt());
        assertEquals(3, summary.get("partitions").asInt());
        assertEquals(4, summary.get("blockRows").asInt());
        // 4 × 4 is narrow: the fused kernel in every task, and for 10 rows in plain Java (the same bits), as no test
        // in this JVM warms the Vector API code up for 4 × 4 with every output.
        assertEquals("[\"fused-plain\"]", summary.get("kernel").toString());
        assertTrue(summary.get("shuffle").isBoolean() && !summary.get("shuffle").booleanValue(),
                "CSV rows are read where they are: " + summary.get("shuffle"));
        // The phases the manual lists (src/site/markdown/inputs-and-outputs.md) for a run without --repeat (no cache), in the order they happen, each a
        // number; and one computation of the gradient.
        List<String> phases = new ArrayList<>();
        summary.get("seconds").fieldNames().forEachRemaining(phases::add);
        assertEquals(List.of("sparkStart", "prepare", "compute", "commit", "write", "total"), phases);
        summary.get("seconds").forEach(t -> assertTrue(t.isNumber(), summary.get("seconds").toString()));
        assertEquals(1, summary.get("repeat").asInt());
        assertEquals(1, summary.get("iterationSeconds").size(), summary.get("iterationSeconds").toString());
        assertEquals(List.of("loss", "dW", "dX", "dY"), labels(summary.get("outputs")));
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("dW.csv")), f.dW()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dX", 10, 4), f.dX()) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dY", 10, 4), f.dY()) <= 1e-12);
        assertTrue(!Files.exists(out.resolve("_temporary")));
    }

    @Test
    void overwriteReplacesAnEarlierResult() throws Exception {
        Path out = tmp.resolve("again");
        assertEquals(0, CliRun.of(sc, "grad", "--out", out.toString()).exit());
        Files.writeString(out.resolve("stale.txt"), "old");
        CliRun run = CliRun.of(sc, "grad", "--out", out.toString(), "--overwrite", "--outputs", "loss,dW");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.exists(out.resolve("summary.json")));
        assertTrue(!Files.exists(out.resolve("stale.txt")));
    }

    /** What a driver killed mid-run leaves: attempt files only, or (killed while finishing) all but the rename. */
    @ParameterizedTest
    @ValueSource(strings = {"_temporary/run/dX/part-00000.csv.attempt-3", "summary.json.tmp"})
    void overwriteReplacesTheFolderOfARunWhoseDriverWasKilled(String leftover) throws Exception {
        Path out = tmp.resolve("killed");
        Files.createDirectories(out.resolve(leftover).getParent());
        Files.writeString(out.resolve(leftover), "0,1.0\n");
        Files.createDirectories(out.resolve("dX"));
        Files.writeString(out.resolve("dX/part-00000.csv"), "0,1.0\n");
        assertEquals(2, CliRun.of(sc, "grad", "--out", out.toString()).exit(), "no --overwrite: left alone");
        CliRun run = CliRun.of(sc, "grad", "--out", out.toString(), "--overwrite");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("loss = 99.90477712668212"), run.out());
        assertEquals(List.of("dW.csv", "dX", "dY", "summary.json"), OutputFiles.names(out));
        assertTrue(NaiveGradient.relativeError(OutputFiles.perRow(out, "dX", 10, 4), Fixture.load("seed").dX()) <= 1e-12);
    }

    @Test
    void helpDescribesTheCommandAndExitsZero() {
        CliRun run = CliRun.of(sc, "grad", "--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("--generate") && run.out().contains("ReLU'(0) = 0"), run.out());
    }
}
