package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.relugrad.internal.engine.Progress;

/**
 * The progress line: rows done as the tasks report them, moving while only two tasks run, with the iteration of
 * --repeat; nothing for a run shorter than the interval. In local mode the running tasks' counts are read in the
 * driver's JVM at once; on a cluster they come with the executors' heartbeats, as the listener test feeds them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressTest {
    private static final Pattern LINE = Pattern.compile(
            "relugrad: (reading|computing|iteration (\\d+)/(\\d+):) ([\\d,]+) of ([\\d,]+) rows \\((\\d+)%\\), \\d+:\\d\\d, \\S+ rows/s");

    private JavaSparkContext sc;

    @BeforeAll
    void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("ProgressTest")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private record Seen(String phase, long done, long rows, int iteration, int iterations) {
    }

    private static List<Seen> progressLines(CliRun run) {
        List<Seen> seen = new ArrayList<>();
        for (String line : run.errLines()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                seen.add(new Seen(m.group(2) == null ? m.group(1) : "computing",
                        Long.parseLong(m.group(4).replace(",", "")), Long.parseLong(m.group(5).replace(",", "")),
                        m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
            }
        }
        return seen;
    }

    @Test
    void rowsDoneMoveWhileTwoTasksRun() {
        // Two partitions, each one long task of half the rows: a count that is neither 0, nor one task's whole half,
        // nor n can only come from the running tasks' counts. Enough rows that the pass lasts several intervals
        // once the kernel is compiled.
        CliRun run = CliRun.of(sc, "grad", "--generate", "1000000,64,64,5", "--outputs", "loss,dW,dX,dY",
                "--partitions", "2", "--progress", "0.1");
        assertEquals(0, run.exit(), run.err());
        List<Seen> computing = progressLines(run).stream().filter(s -> s.phase().equals("computing")).toList();
        assertTrue(computing.stream().allMatch(s -> s.rows() == 1_000_000), run.err());
        List<Long> between = computing.stream().map(Seen::done)
                .filter(d -> d > 0 && d < 1_000_000 && d != 500_000).distinct().toList();
        assertTrue(!between.isEmpty(), "row counts of running tasks:\n" + run.err());
        for (int i = 1; i < computing.size(); i++) {
            assertTrue(computing.get(i).done() >= computing.get(i - 1).done(), run.err());
        }
        assertTrue(run.out().contains("loss = "), run.out());
    }

    @Test
    void repeatShowsTheIterationOfR() {
        CliRun run = CliRun.of(sc, "grad", "--generate", "200000,16,16,5", "--outputs", "loss,dW", "--repeat", "20",
                "--partitions", "2", "--progress", "0.1");
        assertEquals(0, run.exit(), run.err());
        List<Seen> iterations = progressLines(run).stream().filter(s -> s.iterations() > 0).toList();
        assertTrue(!iterations.isEmpty(), run.err());
        assertTrue(iterations.stream().allMatch(s -> s.iterations() == 20 && s.phase().equals("computing")
                && s.iteration() >= 1 && s.iteration() <= 20), run.err());
        for (int i = 1; i < iterations.size(); i++) {
            assertTrue(iterations.get(i).iteration() >= iterations.get(i - 1).iteration(), run.err());
        }
    }

    @Test
    void aRunShorterThanTenSecondsPrintsNoProgress() {
        CliRun run = CliRun.of(sc, "grad", "--generate", "1000,4,4,5");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.errLines().stream().noneMatch(l -> l.startsWith("relugrad:")), run.err());
        CliRun off = CliRun.of(sc, "check", "--partitions", "1,2", "--progress", "off");
        assertEquals(0, off.exit(), off.out() + off.err());
        assertEquals("", off.err());
    }

    @Test
    void aBadProgressSettingIsAUsageError() {
        CliRun run = CliRun.of(sc, "grad", "--progress", "sometimes");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--progress takes auto, off or a number of seconds > 0"), run.err());
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndWipedAtTheEnd() throws InterruptedException {
        StringWriter text = new StringWriter();
        StringWriter stdout = new StringWriter();
        try (Progress progress = Progress.attach(sc)) {
            ProgressLine line = ProgressLine.onTerminal(progress, new PrintWriter(text), new PrintWriter(stdout), 19);
            for (int wait = 0; wait < 200 && text.toString().split("preparin", -1).length < 3; wait++) {
                Thread.sleep(100);
            }
            line.printAbove("relugrad: a message");
            for (int wait = 0; wait < 200 && text.toString().split("preparin", -1).length < 4; wait++) {
                Thread.sleep(100);
            }
            line.close();
        }
        String drawn = text.toString();
        assertTrue(drawn.startsWith("\rrelugrad: preparin\033[K\r\rrelugrad: preparin\033[K\r"), drawn);
        assertTrue(drawn.contains("\r\033[Krelugrad: a message\n\rrelugrad: preparin"), drawn);
        assertTrue(drawn.endsWith("\033[K\r\r\033[K"), drawn);
        assertEquals(1, drawn.chars().filter(c -> c == '\n').count(), drawn);
        // Stdout, the same terminal, is wiped at the end too, and nothing else is written to it.
        assertEquals("\r\033[K", stdout.toString());
    }

    @Test
    void theLineSaysRowsOfNTheirRateTheIterationAndTheTime() {
        assertEquals("relugrad: iteration 3/10: 1,250,000 of 4,000,000 rows (31%), 1:05, 2.50M rows/s",
                ProgressLine.text(new Progress.Snapshot("computing", 1_250_000, 4_000_000, 3, 10, 0.5, 65.2)));
        assertEquals("relugrad: computing 5 of 7 rows (71%), 0:03, 2 rows/s",
                ProgressLine.text(new Progress.Snapshot("computing", 5, 7, 0, 0, 2.5, 3.9)));
        assertEquals("relugrad: reading 0 of 7 rows (0%), 0:00, 0 rows/s",
                ProgressLine.text(new Progress.Snapshot("reading", 0, 7, 0, 0, 0, 0.4)));
        assertEquals("relugrad: preparing, 0:12", ProgressLine.text(new Progress.Snapshot("preparing", 0, 0, 0, 0, 0, 12)));
        assertEquals("950", ProgressLine.perSecond(950));
        assertEquals("12.3k", ProgressLine.perSecond(12_345));
        assertEquals("123M", ProgressLine.perSecond(123_456_789));
    }
}
