package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.OutputFiles;
import org.relugrad.SharedSpark;

/** relugrad check as a user runs it: the table, the JSON report and the exit codes 0, 1 and 2. */
class CheckCommandTest extends SharedSpark {
    @TempDir
    Path tmp;

    private String[] seedInput() {
        Path dir = Fixture.load("seed").copyInputsTo(tmp);
        return new String[] {"--x", dir.resolve("X.csv").toString(), "--y", dir.resolve("Y.csv").toString(),
            "--w", dir.resolve("W.csv").toString()};
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Path expectedDir(String name, boolean wrongDW) throws IOException {
        Fixture seed = Fixture.load("seed");
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("loss.txt"), Fixture.text("seed", "loss.txt"));
        Files.writeString(dir.resolve("dX.csv"), Fixture.text("seed", "dX.csv"));
        Files.writeString(dir.resolve("dY.csv"), Fixture.text("seed", "dY.csv"));
        double[] dW = seed.dW().values().clone();
        if (wrongDW) {
            dW[5] *= 1.001;
        }
        OutputFiles.writeCsv(dir.resolve("dW.csv"), new org.relugrad.Matrix(4, 4, dW));
        return dir;
    }

    @Test
    void expectedGradientsThatMatchPrintATableAndExitZero() throws IOException {
        String dir = expectedDir("right", false).toString();
        CliRun run = CliRun.of(sc, concat(concat(new String[] {"check"}, seedInput()), "--expected", dir));
        assertEquals(0, run.exit(), run.err());
        List<String> rows = run.out().lines().filter(l -> l.matches("^(loss|dW|dX|dY) .*")).toList();
        assertEquals(4, rows.size(), run.out());
        assertTrue(rows.stream().allMatch(l -> l.endsWith(" ok")), run.out());
        assertTrue(run.out().contains("check passed"), run.out());
    }

    @Test
    void aWrongTensorExitsOneNamesItAndTheReportSaysTheSame() throws IOException {
        String dir = expectedDir("wrong", true).toString();
        Path report = tmp.resolve("report.json");
        CliRun run = CliRun.of(sc, concat(concat(new String[] {"check"}, seedInput()), "--expected", dir,
                "--report", report.toString()));
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().contains("check FAILED: dW"), run.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertFalse(json.get("passed").asBoolean());
        assertEquals("dW", json.get("failed").get(0).asText());
        JsonNode dW = json.get("tensors").get(1);
        assertEquals("dW", dW.get("tensor").asText());
        assertEquals(1, dW.get("failing").asLong());
        assertEquals(1, dW.get("worst").get(0).asLong());
        assertEquals(1, dW.get("worst").get(1).asLong());
        assertEquals(1e-5, dW.get("rtol").asDouble());
    }

    @Test
    void looserTolerancesAreHonoured() throws IOException {
        String dir = expectedDir("loose", true).toString();
        CliRun run = CliRun.of(sc, concat(concat(new String[] {"check"}, seedInput()), "--expected", dir,
                "--rtol", "2e-3"));
        assertEquals(0, run.exit(), run.out() + run.err());
    }

    @Test
    void finiteDifferencesOnTheBuiltInExampleWriteAJsonReport() throws IOException {
        Path report = tmp.resolve("fd.json");
        CliRun run = CliRun.of(sc, "check", "--fd", "--directions", "2", "--report", report.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("fd", json.get("mode").asText());
        assertEquals(6, json.get("directions").size());
        for (JsonNode d : json.get("directions")) {
            assertTrue(d.get("passed").asBoolean());
            assertTrue(d.get("error").asDouble() <= d.get("tolerance").asDouble());
        }
    }

    @Test
    void partitionsCompareBitForBit() {
        CliRun run = CliRun.of(sc, "check", "--generate", "50000,3,2,9", "--partitions", "2,5", "--block-rows", "500");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("[2, 5] partitions"), run.out());
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws IOException {
        String dir = expectedDir("usage", false).toString();
        for (String[] args : List.of(
                new String[] {"check"},
                new String[] {"check", "--fd", "--expected", dir},
                new String[] {"check", "--expected", dir, "--gradient", dir},
                new String[] {"check", "--partitions", "3"},
                new String[] {"check", "--partitions", "0,2"},
                new String[] {"check", "--fd", "--eps", "0"},
                new String[] {"check", "--fd", "--directions", "0"},
                new String[] {"check", "--expected", dir, "--rtol", "-1"})) {
            CliRun run = CliRun.of(sc, args);
            assertEquals(2, run.exit(), String.join(" ", args) + ": " + run.err());
            assertEquals(1, run.errLines().size(), run.err());
        }
    }

    @Test
    void aMissingFolderOrAShapeMismatchExitsTwoNamingTheFile() throws IOException {
        CliRun missing = CliRun.of(sc, "check", "--expected", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nowhere") && missing.err().contains("no such folder"), missing.err());

        Path dir = Files.createDirectories(tmp.resolve("shape"));
        Files.writeString(dir.resolve("dX.csv"), "1,2\n3,4\n");
        CliRun shape = CliRun.of(sc, concat(concat(new String[] {"check"}, seedInput()), "--expected", dir.toString()));
        assertEquals(2, shape.exit());
        assertTrue(shape.err().contains("dX.csv: is 2 x 2 but must be 10 x 4"), shape.err());
    }
}
