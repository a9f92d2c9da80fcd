package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Fixture;
import org.relugrad.Matrix;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;

/**
 * grad and check with a bias, --b, on the {@code bias} fixture (exact ties z = 0 where a zero row of X meets a zero
 * entry of b), against its long-double reference.
 */
class BiasTest extends SharedSpark {
    @TempDir
    Path tmp;

    private static String at(String file) {
        return Fixture.path("bias", file).toString();
    }

    private static Matrix ref(String file) {
        return Fixture.matrix("bias", file);
    }

    private static double refLoss() {
        return Double.parseDouble(Fixture.text("bias", "loss.txt").strip());
    }

    private static String[] args(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static String[] npyInput() {
        return new String[] {"--x", at("X.npy"), "--y", at("Y.npy"), "--w", at("W.npy"), "--b", at("b.npy")};
    }

    private CliRun grad(Path out, String... more) {
        return CliRun.of(sc, args(args(new String[] {"grad"}, npyInput()), args(new String[] {"--out", out.toString()},
                more)));
    }

    private static double loss(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("loss").asDouble();
    }

    @ParameterizedTest(name = "partitions {0}, block rows {1}")
    @CsvSource({"1, 65535", "3, 7", "4, 64"})
    void gradWithABiasMatchesTheLongDoubleReference(int partitions, int blockRows) throws Exception {
        Path out = tmp.resolve("out");
        CliRun run = grad(out, "--partitions", String.valueOf(partitions), "--block-rows", String.valueOf(blockRows));
        assertEquals(0, run.exit(), run.err());
        assertEquals(0, Math.abs(loss(out) - refLoss()) / refLoss(), 1e-13, "loss");
        Matrix db = NpyFile.read(out.resolve("db.npy"));
        assertEquals(1, db.rows());
        assertTrue(NaiveGradient.relativeError(db, ref("db.csv")) <= 1e-13, "db");
        assertTrue(NaiveGradient.relativeError(NpyFile.read(out.resolve("dW.npy")), ref("dW.csv")) <= 1e-13, "dW");
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(out, "dX"), ref("dX.csv")) <= 1e-15, "dX");
        assertTrue(NaiveGradient.relativeError(NpyFile.stackParts(out, "dY"), ref("dY.csv")) <= 1e-15, "dY");
        String header = new String(Files.readAllBytes(out.resolve("db.npy")), 0, 80,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (8,)"), "db.npy is 1-D, as PyTorch's bias.grad: " + header);
    }

    @Test
    void dbHasTheSameBitsForAnyPartitioning() {
        Path one = tmp.resolve("one");
        Path seven = tmp.resolve("seven");
        assertEquals(0, grad(one, "--partitions", "1", "--block-rows", "16").exit());
        assertEquals(0, grad(seven, "--partitions", "7", "--block-rows", "16").exit());
        assertArrayEquals(NpyFile.read(one.resolve("db.npy")).values(), NpyFile.read(seven.resolve("db.npy")).values());
        assertArrayEquals(NpyFile.read(one.resolve("dW.npy")).values(), NpyFile.read(seven.resolve("dW.npy")).values());
    }

    @Test
    void csvInputsAndABiasOnOneCsvLineWriteDbCsv() throws Exception {
        Path out = tmp.resolve("csv");
        CliRun run = CliRun.of(sc, "grad", "--x", at("X.csv"), "--y", at("Y.csv"), "--w", at("W.csv"), "--b",
                at("b.csv"), "--out", out.toString(), "--outputs", "loss,db");
        assertEquals(0, run.exit(), run.err());
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("db.csv")), ref("db.csv")) <= 1e-13);
        assertFalse(Files.exists(out.resolve("dW.csv")), "dW was not asked for");
        assertEquals(0, Math.abs(loss(out) - refLoss()) / refLoss(), 1e-13, "loss");
    }

    @Test
    void withoutOutThePrintedDbIsTheReferences() {
        CliRun run = CliRun.of(sc, args(args(new String[] {"grad"}, npyInput()), "--outputs", "loss,db",
                "--print", "full"));
        assertEquals(0, run.exit(), run.err());
        String printed = run.out().substring(run.out().indexOf("db = 1^T G"));
        String[] numbers = printed.lines().skip(1).findFirst().orElseThrow().trim().split("\\s+");
        double[] expected = ref("db.csv").values();
        assertEquals(expected.length, numbers.length, printed);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], Double.parseDouble(numbers[j]), 1e-13 * Math.abs(expected[j]), "db[" + j + "]");
        }
    }

    @Test
    void checkExpectedComparesDbBitForBitAndFailsOnAChangedOne() throws Exception {
        Path out = tmp.resolve("own");
        assertEquals(0, grad(out).exit());
        CliRun same = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--expected", out.toString(),
                "--rtol", "0", "--atol", "0"));
        assertEquals(0, same.exit(), same.out() + same.err());
        assertTrue(same.out().lines().anyMatch(l -> l.startsWith("db ") && l.endsWith("ok")), same.out());

        Matrix db = NpyFile.read(out.resolve("db.npy"));
        db.values()[3] = Math.nextUp(db.values()[3]);
        Files.delete(out.resolve("db.npy"));
        NpyFile.write(out.resolve("db.npy"), db);
        CliRun changed = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--expected", out.toString(),
                "--rtol", "0", "--atol", "0"));
        assertEquals(1, changed.exit(), changed.out() + changed.err());
        assertTrue(changed.out().contains("check FAILED: db"), changed.out());
    }

    @Test
    void checkExpectedAgainstTheReferenceFilesAndFiniteDifferencesAlongB() throws Exception {
        Path dir = tmp.resolve("reference");
        Files.createDirectories(dir);
        for (String file : new String[] {"loss.txt", "dW.csv", "db.csv", "dX.csv", "dY.csv"}) {
            Files.copy(Fixture.path("bias", file), dir.resolve(file));
        }
        CliRun expected = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--expected", dir.toString()));
        assertEquals(0, expected.exit(), expected.out() + expected.err());
        assertTrue(expected.out().contains("compared: loss, dW, db, dX, dY"), expected.out());

        CliRun fd = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--fd"));
        assertEquals(0, fd.exit(), fd.out() + fd.err());
        assertEquals(3, fd.out().lines().filter(l -> l.matches("\\d+\\s+db\\s.*ok")).count(), fd.out());

        // A db with one entry wrong by 1 %: the direction along b must catch it.
        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        double[] db = ref("db.csv").values().clone();
        db[0] *= 1.01;
        Files.writeString(wrong.resolve("db.csv"), String.join(",", Arrays.stream(db).mapToObj(Double::toString)
                .toList()) + "\n");
        CliRun caught = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--fd", "--gradient",
                wrong.toString()));
        assertEquals(1, caught.exit(), caught.out() + caught.err());
        assertTrue(caught.out().contains("check FAILED: db"), caught.out());
    }

    @Test
    void checkPartitionsComparesDb() {
        CliRun run = CliRun.of(sc, args(args(new String[] {"check"}, npyInput()), "--partitions", "1,5",
                "--block-rows", "8"));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("db ") && l.endsWith("ok")), run.out());
    }

    @Test
    void aBiasOfTheWrongLengthAndDbWithoutABiasAreOneLineErrors() throws Exception {
        Path shortB = tmp.resolve("b.csv");
        Files.writeString(shortB, "1,2,3\n");
        CliRun wrong = CliRun.of(sc, "grad", "--x", at("X.npy"), "--y", at("Y.npy"), "--w", at("W.npy"), "--b",
                shortB.toString());
        assertEquals(2, wrong.exit());
        assertEquals(1, wrong.errLines().size(), wrong.err());
        assertTrue(wrong.err().contains(shortB + ": b is 1 x 3, but Y has 8 columns"), wrong.err());

        CliRun noBias = CliRun.of(sc, "grad", "--x", at("X.npy"), "--y", at("Y.npy"), "--w", at("W.npy"),
                "--outputs", "loss,db");
        assertEquals(2, noBias.exit());
        assertEquals(1, noBias.errLines().size(), noBias.err());
        assertTrue(noBias.err().contains("give the bias with --b"), noBias.err());
    }
}
