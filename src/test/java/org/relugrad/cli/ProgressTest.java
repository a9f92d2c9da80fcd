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
import org.relugrad.job.Progress;

/**
 * The progress line: rows done as the tasks report them, moving while only two tasks run, with the iteration of
 * --repeat; nothing for a run shorter than the interval. The executors' heartbeats, which carry the running tasks'
 * counts, come every 500 ms here (relugrad's default is 1 s) so that the test runs stay short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressTest {
    private static final Pattern LINE = Pattern.compile(
            "relugrad: (reading|computing) ([\\d,]+) of ([\\d,]+) rows \\((\\d+)%\\), \\S+ rows/s(, iteration (\\d+)/(\\d+))?, \\d+:\\d\\d");

    private JavaSparkContext sc;

    @BeforeAll
    void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("ProgressTest")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.heartbeatInterval", "500ms"));
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
                seen.add(new Seen(m.group(1), Long.parseLong(m.group(2).replace(",", "")),
                        Long.parseLong(m.group(3).replace(",", "")),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                        m.group(7) == null ? 0 : Integer.parseInt(m.group(7))));
            }
        }
        return seen;
    }

    @Test
    void rowsDoneMoveWhileTwoTasksRun() {
        // Two partitions, each one long task: only the tasks' running counts can move the line before the end.
        CliRun run = CliRun.of(sc, "grad", "--generate", "1000000,64,64,5", "--outputs", "loss,dW,dX,dY",
                "--partitions", "2", "--progress", "0.1");
        assertEquals(0, run.exit(), run.err());
        List<Seen> computing = progressLines(run).stream().filter(s -> s.phase().equals("computing")).toList();
        assertTrue(computing.stream().allMatch(s -> s.rows() == 1_000_000), run.err());
        List<Long> between = computing.stream().map(Seen::done).filter(d -> d > 0 && d < 1_000_000).distinct()
                .toList();
        assertTrue(between.size() >= 2, "row counts between 0 and n:\n" + run.err());
        for (int i = 1; i < computing.size(); i++) {
            assertTrue(computing.get(i).done() >= computing.get(i - 1).done(), run.err());
        }
        assertTrue(run.out().contains("loss = "), run.out());
    }

    @Test
    void repeatShowsTheIterationOfR() {
        CliRun run = CliRun.of(sc, "grad", "--generate", "400000,16,16,5", "--outputs", "loss,dW", "--repeat", "30",
                "--partitions", "2", "--progress", "0.1");
        assertEquals(0, run.exit(), run.err());
        List<Seen> iterations = progressLines(run).stream().filter(s -> s.iterations() > 0).toList();
        assertTrue(!iterations.isEmpty(), run.err());
        assertTrue(iterations.stream().allMatch(s -> s.iterations() == 30 && s.phase().equals("computing")
                && s.iteration() >= 1 && s.iteration() <= 30), run.err());
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
        try (Progress progress = Progress.attach(sc)) {
            ProgressLine line = ProgressLine.onTerminal(progress, new PrintWriter(text), 30);
            Thread.sleep(1200);
            line.printAbove("relugrad: a message");
            line.close();
        }
        String drawn = text.toString();
        assertTrue(drawn.startsWith("\rrelugrad: preparing, 0:0"), drawn);
        assertTrue(drawn.contains("\r\033[Krelugrad: a message\n"), drawn);
        for (String redraw : drawn.split("\r")) {
            assertTrue(redraw.replace("\033[K", "").length() <= 29 + 1, redraw);
        }
        assertTrue(!drawn.contains("\n") || drawn.indexOf('\n') == drawn.indexOf("a message") + 9, drawn);
    }

    @Test
    void theLineSaysRowsOfNTheirRateTheIterationAndTheTime() {
        assertEquals("relugrad: computing 1,250,000 of 4,000,000 rows (31%), 2.50M rows/s, iteration 3/10, 1:05",
                ProgressLine.text(new Progress.Snapshot("computing", 1_250_000, 4_000_000, 3, 10, 0.5, 65.2)));
        assertEquals("relugrad: reading 0 of 7 rows (0%), 0 rows/s, 0:00",
                ProgressLine.text(new Progress.Snapshot("reading", 0, 7, 0, 0, 0, 0.4)));
        assertEquals("relugrad: preparing, 0:12", ProgressLine.text(new Progress.Snapshot("preparing", 0, 0, 0, 0, 0, 12)));
        assertEquals("950", ProgressLine.perSecond(950));
        assertEquals("12.3k", ProgressLine.perSecond(12_345));
        assertEquals("123M", ProgressLine.perSecond(123_456_789));
    }
}
