package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.relugrad.Fixture;
import org.relugrad.SharedSpark;

/**
 * Every bad input ends with exit code 2, exactly one line on stderr naming the file (and line), no failed task
 * (so nothing retried), and no summary.json: nothing that could pass for a result.
 */
class BadInputTest extends SharedSpark {
    @TempDir
    Path tmp;
    private Path in;
    private final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeEach
    void copySeedAndCountFailures() throws Exception {
        in = Fixture.load("seed").copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        failedTasks.set(0);
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    failedTasks.incrementAndGet();
                }
            }
        });
    }

    /** Replaces line {@code line} (1-based) of {@code file} with {@code text}; "DELETE" removes it. */
    private void edit(String file, int line, String text) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(in.resolve(file)));
        if (text.equals("DELETE")) {
            lines.remove(line - 1);
        } else {
            lines.set(line - 1, text);
        }
        Files.write(in.resolve(file), lines);
    }

    private CliRun grad(String... extra) {
        List<String> args = new ArrayList<>(List.of("grad", "--x", in.resolve("X.csv").toString(),
                "--y", in.resolve("Y.csv").toString(), "--w", in.resolve("W.csv").toString(),
                "--out", tmp.resolve("out").toString()));
        args.addAll(extra.length > 0 ? List.of(extra) : List.of("--partitions", "3", "--block-rows", "2"));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    private void assertOneLineError(CliRun run, String... fragments) {
        assertEquals(2, run.exit(), "exit code; stderr: " + run.err());
        assertEquals(1, run.errLines().size(), "stderr lines: " + run.err());
        for (String fragment : fragments) {
            assertTrue(run.err().contains(fragment), "'" + fragment + "' not in: " + run.err());
        }
        assertFalse(Files.exists(tmp.resolve("out").resolve("summary.json")), "summary.json written");
        assertEquals(0, failedTasks.get(), "failed (and so retried) tasks");
    }

    @ParameterizedTest(name = "{0} line {1} = ''{2}''")
    @CsvSource(delimiter = '|', value = {
        "X.csv | 1 | x0,x1,x2,x3              | X.csv line 1: 'x0' is not a number",
        "Y.csv | 4 | 0.5,abc,1,2              | Y.csv line 4: 'abc' is not a number",
        "X.csv | 6 | 1.0,2.0,3.0              | X.csv line 6: expected 4 values",
        "X.csv | 7 | 1,2,3,4,5                | X.csv line 7: expected 4 values",
        "X.csv | 2 | 1.0,NaN,3.0,4.0          | X.csv line 2: 'NaN' is not finite",
        "Y.csv | 3 | 1.0,2.0,-inf,4.0         | Y.csv line 3: '-inf' is not finite",
        "X.csv | 5 | 1.0,1e400,3.0,4.0        | X.csv line 5: '1e400' overflows",
        "Y.csv | 8 | ''                       | Y.csv line 8: empty line",
        "X.csv | 9 | 1.0,,3.0,4.0             | X.csv line 9: empty value",
        "W.csv | 2 | 1.0,2.0                  | W.csv line 2: expected 4 values",
        "W.csv | 3 | 1.0,zz,3.0,4.0           | W.csv line 3: 'zz' is not a number",
    })
    void aMalformedLineIsNamedByFileAndLine(String file, int line, String text, String message) throws Exception {
        edit(file, line, text);
        assertOneLineError(grad(), in.resolve(file).toString().replace(file, ""), message);
    }

    @Test
    void aBadLineMetWhileCachingForRepeatedRunsIsReportedTheSameWay() throws Exception {
        edit("X.csv", 9, "oops,1,2,3");
        edit("Y.csv", 6, "1,2,3");
        assertOneLineError(grad("--repeat", "3", "--partitions", "3", "--block-rows", "2"),
                "Y.csv line 6: expected 4 values");
    }

    @Test
    void theEarliestBadLineIsTheOneReported() throws Exception {
        edit("X.csv", 9, "oops,1,2,3");
        edit("Y.csv", 4, "1,2,3");
        assertOneLineError(grad(), "Y.csv line 4: expected 4 values");
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Files.delete(in.resolve("Y.csv"));
        assertOneLineError(grad(), "Y.csv: no such file");
    }

    @Test
    void anEmptyFileIsNamed() throws Exception {
        Files.writeString(in.resolve("X.csv"), "");
        assertOneLineError(grad(), "X.csv: the file is empty");
    }

    @Test
    void wWithFewerRowsThanXHasColumnsIsAShapeError() throws Exception {
        edit("W.csv", 4, "DELETE");
        assertOneLineError(grad(), "X.csv line 1: expected 3 values (d = 3, the rows of", "W.csv), found 4");
    }

    @Test
    void wWithMoreColumnsThanYIsAShapeError() throws Exception {
        List<String> wider = Files.readAllLines(in.resolve("W.csv")).stream().map(l -> l + ",1.5").toList();
        Files.write(in.resolve("W.csv"), wider);
        assertOneLineError(grad(), "Y.csv line 1: expected 5 values (k = 5, the columns of");
    }

    @Test
    void xAndYWithDifferentRowCountsAreRefused() throws Exception {
        edit("Y.csv", 10, "DELETE");
        assertOneLineError(grad(), "X.csv: has 10 lines and", "Y.csv has 9; the rows of X and Y must pair up");
    }

    @Test
    void aBlankLineThatMakesXLongerThanYIsNamedWhereItIs() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(in.resolve("X.csv")));
        lines.add(4, "  ");
        Files.write(in.resolve("X.csv"), lines);
        assertOneLineError(grad(), "X.csv: has 11 lines and", "Y.csv has 10; the rows of X and Y must pair up",
                "(" + in.resolve("X.csv") + " line 5: empty line, expected numbers)");
    }

    @Test
    void aBadLineInAFolderOfPartsNamesThePartAndItsOwnLine() throws Exception {
        Path xs = Files.createDirectories(tmp.resolve("xparts"));
        List<String> rows = Files.readAllLines(in.resolve("X.csv"));
        Files.write(xs.resolve("part-00000"), rows.subList(0, 4));
        Files.write(xs.resolve("part-00001"), List.of(rows.get(4), rows.get(5), "1,2,oops,4", rows.get(7)));
        Files.write(xs.resolve("part-00002"), rows.subList(8, 10));
        CliRun run = CliRun.of(sc, "grad", "--x", xs.toString(), "--y", in.resolve("Y.csv").toString(),
                "--w", in.resolve("W.csv").toString(), "--out", tmp.resolve("out").toString());
        assertOneLineError(run, xs.resolve("part-00001") + " line 3: 'oops' is not a number");
    }

    @Test
    void aTruncatedGzipFileIsAnInputError() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            for (int r = 0; r < 2000; r++) {
                gz.write((r + ".5,1,2,3\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        byte[] whole = bytes.toByteArray();
        Files.write(in.resolve("X.csv.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun run = CliRun.of(sc, "grad", "--x", in.resolve("X.csv.gz").toString(), "--y", in.resolve("Y.csv").toString(),
                "--w", in.resolve("W.csv").toString(), "--out", tmp.resolve("out").toString());
        assertOneLineError(run, "X.csv.gz: cannot be read");
    }

    @Test
    void anExistingOutputFolderIsLeftAloneWithoutOverwrite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertOneLineError(grad(), "out: the output folder exists");
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void overwriteNeverDeletesAFolderThatIsNotAnEarlierOutput() throws Exception {
        CliRun run = CliRun.of(sc, "grad", "--x", in.resolve("X.csv").toString(), "--y", in.resolve("Y.csv").toString(),
                "--w", in.resolve("W.csv").toString(), "--out", in.toString(), "--overwrite");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("not the output of an earlier run"), run.err());
        assertTrue(Files.exists(in.resolve("X.csv")), "the inputs are still there");
    }

    @Test
    void valuesWhoseLossOverflowsAreAnErrorNotAResult() throws Exception {
        Files.writeString(in.resolve("X.csv"), Files.readString(in.resolve("X.csv")).replaceFirst("^[^,]*", "1e200"));
        assertOneLineError(grad(), "overflows float64");
    }

    @Test
    void blocksTooLargeForMemoryAreRefusedUpFront() {
        CliRun run = CliRun.of(sc, "grad", "--generate", "1000,16,16,1", "--block-rows", "200000000");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--block-rows 200000000 is too large"), run.err());
        CliRun many = CliRun.of(sc, "grad", "--generate", "1000,16,16,1", "--partitions", "2000000000");
        assertEquals(2, many.exit());
        assertTrue(many.err().contains("--partitions must be from 1 to 100000"), many.err());
    }

    @Test
    void aFailedRunLeavesNoOutputFolder() throws Exception {
        edit("X.csv", 10, "1,2,3");
        assertOneLineError(grad(), "X.csv line 10");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aBadLineDeepInALargeFileHasItsTrueLineNumber() throws Exception {
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int r = 0; r < 20_000; r++) {
            x.append(r == 14_321 ? "1,2,x,4" : r + ",1,2,3").append('\n');
            y.append("0.5,0.25,1,2\n");
        }
        Files.writeString(in.resolve("X.csv"), x);
        Files.writeString(in.resolve("Y.csv"), y);
        sc.hadoopConfiguration().setLong("mapreduce.input.fileinputformat.split.maxsize", 64 * 1024);
        try {
            assertOneLineError(grad("--partitions", "5", "--block-rows", "1000"), "X.csv line 14322: 'x' is not a number");
        } finally {
            sc.hadoopConfiguration().unset("mapreduce.input.fileinputformat.split.maxsize");
        }
    }

    /** Past 32 files the footers are read by tasks: an unreadable one is still one line, and no task fails. */
    @Test
    void aFileThatIsNotParquetInAFolderOfManyIsOneLineAndFailsNoTask() throws Exception {
        Path table = Files.createDirectories(tmp.resolve("table"));
        for (int i = 0; i < 40; i++) {
            Files.copy(in.resolve("X.csv"), table.resolve(String.format("part-%05d.parquet", i)));
        }
        CliRun run = CliRun.of(sc, "grad", "--table", table.toString(), "--w", in.resolve("W.csv").toString(),
                "--out", tmp.resolve("out").toString());
        assertOneLineError(run, "part-00000.parquet: cannot be read as Parquet");
        assertFalse(Files.exists(tmp.resolve("out")), "an output folder after a failed run");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        edit("X.csv", 3, "1,2,3");
        CliRun run = grad("--verbose");
        assertEquals(2, run.exit());
        assertTrue(run.errLines().size() > 1 && run.err().contains("at org.relugrad."), run.err());
        assertTrue(run.errLines().get(run.errLines().size() - 1).startsWith("relugrad: "), run.err());
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() {
        CliRun both = CliRun.of(sc, "grad", "--generate", "10,2,2,1", "--x", "a.csv");
        assertEquals(2, both.exit());
        assertEquals(1, both.errLines().size(), both.err());
        CliRun generate = CliRun.of(sc, "grad", "--generate", "10,2,2");
        assertEquals(2, generate.exit());
        assertTrue(generate.err().contains("--generate takes N,D,K,SEED"), generate.err());
        CliRun outputs = CliRun.of(sc, "grad", "--outputs", "loss,dZ");
        assertEquals(2, outputs.exit());
        assertTrue(outputs.err().contains("unknown output 'dZ'"), outputs.err());
        CliRun noRows = CliRun.of(sc, "grad", "--block-rows", "0");
        assertEquals(2, noRows.exit());
        assertTrue(noRows.err().contains("--block-rows must be >= 1, was 0"), noRows.err());
        CliRun unknown = CliRun.of(sc, "grad", "--bogus");
        assertEquals(2, unknown.exit());
        assertEquals(1, unknown.errLines().size(), unknown.err());
    }
}
