package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Fixture;
import org.relugrad.SharedSpark;

/**
 * fit on bad input stops as grad does: the same one line on stderr and exit code 2, and leaves no folder behind;
 * a W0 of the wrong shape is named with both shapes; options out of range name the option.
 */
class FitBadInputTest extends SharedSpark {
    @TempDir
    Path tmp;
    private Path in;

    @BeforeEach
    void copySeed() throws Exception {
        in = Fixture.load("seed").copyInputsTo(Files.createDirectories(tmp.resolve("in")));
    }

    private void edit(String file, int line, String text) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(in.resolve(file)));
        lines.set(line - 1, text);
        Files.write(in.resolve(file), lines);
    }

    private CliRun run(String command, String x, String y, String w, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--x", x, "--y", y, "--w", w,
                "--out", tmp.resolve(command + "-out").toString(), "--partitions", "3", "--block-rows", "2"));
        args.addAll(List.of(extra));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    private void assertSameErrorAsGrad(String x, String y, String w, String fragment) {
        CliRun grad = run("grad", x, y, w);
        CliRun fit = run("fit", x, y, w, "--max-iter", "2");
        assertEquals(2, grad.exit(), grad.err());
        assertEquals(1, fit.errLines().size(), "stderr lines: " + fit.err());
        assertTrue(fit.err().contains(fragment), "'" + fragment + "' not in: " + fit.err());
        assertEquals(grad.err(), fit.err());
        assertEquals(2, fit.exit());
        assertFalse(Files.exists(tmp.resolve("fit-out")), "a folder left by a fit that never started");
    }

    @ParameterizedTest(name = "{0} line {1} = ''{2}''")
    @CsvSource(delimiter = '|', value = {
        "X.csv | 1 | x0,x1,x2,x3              | X.csv line 1: 'x0' is not a number",
        "Y.csv | 4 | 0.5,abc,1,2              | Y.csv line 4: 'abc' is not a number",
        "X.csv | 6 | 1.0,2.0,3.0              | X.csv line 6: expected 4 values",
        "X.csv | 2 | 1.0,NaN,3.0,4.0          | X.csv line 2: 'NaN' is not finite",
        "Y.csv | 8 | ''                       | Y.csv line 8: empty line",
        "W.csv | 3 | 1.0,zz,3.0,4.0           | W.csv line 3: 'zz' is not a number",
    })
    void aBadCsvValueGivesGradsLine(String file, int line, String text, String message) throws Exception {
        edit(file, line, text);
        assertSameErrorAsGrad(in.resolve("X.csv").toString(), in.resolve("Y.csv").toString(),
                in.resolve("W.csv").toString(), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "NaN in X     | npy/bad/nan.npy     | seed/Y.npy     | nan.npy row 7: NaN in column 2",
        "Fortran X    | npy/bad/fortran.npy | seed/Y.npy     | fortran.npy: is in Fortran",
        "X and Y rows | seed/X.npy          | npy/bad/Y9.npy | X.npy: has 10 rows and",
    })
    void aBadNpyFileGivesGradsLine(String name, String x, String y, String message) {
        assertSameErrorAsGrad(fixture(x), fixture(y), fixture("seed/W.npy"), message);
    }

    @Test
    void aMissingFileGivesGradsLine() {
        assertSameErrorAsGrad(tmp.resolve("nothing.npy").toString(), fixture("seed/Y.npy"), fixture("seed/W.npy"),
                "nothing.npy: no such file");
    }

    @Test
    void aW0OfTheWrongShapeNamesBothShapes() {
        CliRun fit = run("fit", fixture("seed/X.npy"), fixture("seed/Y.npy"), fixture("npy/bad/W3.npy"));
        assertEquals(2, fit.exit(), fit.err());
        assertEquals(1, fit.errLines().size(), fit.err());
        assertTrue(fit.err().matches("relugrad: .*W3.npy: W0 is 3 x 4, but X and Y need a 4 x 4 W \\(d = 4 columns "
                + "of .*X.npy, k = 4 columns of .*Y.npy\\)\\n"), fit.err());
        assertFalse(Files.exists(tmp.resolve("fit-out")));
    }

    @Test
    void optionsOutOfRangeNameTheOption() {
        String x = fixture("seed/X.npy");
        String y = fixture("seed/Y.npy");
        String w = fixture("seed/W.npy");
        assertEquals("relugrad: --max-iter must be >= 0, was -1\n", run("fit", x, y, w, "--max-iter", "-1").err());
        assertEquals("relugrad: --tol must be a number >= 0, was -0.5\n", run("fit", x, y, w, "--tol", "-0.5").err());
        assertEquals("relugrad: --l2 must be a number >= 0, was NaN\n", run("fit", x, y, w, "--l2", "NaN").err());
        assertEquals("relugrad: give either --w W0 or --init, not both\n",
                run("fit", x, y, w, "--init", "zeros").err());
        assertEquals("relugrad: --init takes zeros or random:SEED (SEED an integer), got 'ones'\n",
                CliRun.of(sc, "fit", "--x", x, "--y", y, "--init", "ones", "--out", tmp.resolve("o").toString())
                        .err());
        assertEquals("relugrad: give W0: --w W0.npy|W0.csv, or --init zeros|random:SEED\n",
                CliRun.of(sc, "fit", "--x", x, "--y", y, "--out", tmp.resolve("o").toString()).err());
        assertEquals("relugrad: --out DIR is required (or --resume DIR)\n", CliRun.of(sc, "fit", "--generate",
                "100,2,2,1").err());
        assertEquals("relugrad: --resume takes the input and settings from DIR; give only --partitions and "
                + "Spark's options with it, not --max-iter\n", CliRun.of(sc, "fit", "--resume",
                tmp.resolve("o").toString(), "--max-iter", "3").err());
        assertEquals("relugrad: " + tmp.resolve("o") + ": no such folder to resume\n",
                CliRun.of(sc, "fit", "--resume", tmp.resolve("o").toString()).err());
    }

    @Test
    void aFinishedFitIsNotResumedAndAnExistingFolderIsNotReplaced() {
        String out = tmp.resolve("done").toString();
        assertEquals(0, CliRun.of(sc, "fit", "--generate", "100,2,2,1", "--max-iter", "2", "--out", out).exit());
        assertEquals("relugrad: " + out + ": holds a fit that ended (summary.json); there is nothing to resume\n",
                CliRun.of(sc, "fit", "--resume", out).err());
        assertEquals("relugrad: " + out + ": the output folder exists; choose another, pass --overwrite, or "
                + "--resume it\n", CliRun.of(sc, "fit", "--generate", "100,2,2,1", "--out", out).err());
        assertEquals(0, CliRun.of(sc, "fit", "--generate", "100,2,2,1", "--out", out, "--overwrite").exit());
    }

    private static String fixture(String path) {
        int slash = path.lastIndexOf('/');
        return Fixture.path(path.substring(0, slash), path.substring(slash + 1)).toString();
    }
}
