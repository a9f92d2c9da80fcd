package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line through scripts/relugrad: on a terminal (script(1) gives the launcher one) it is redrawn in
 * place while the run goes on and wiped before the results; in a log, whole lines of rows done, and Spark's own
 * console bar never shows.
 */
class ProgressLauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final String LINE =
            "relugrad: (preparing|reading|computing|iteration \\d+/\\d+:)( [\\d,]+ of [\\d,]+ rows \\(\\d+%\\))?, \\d+:\\d\\d(, \\S+ rows/s)?";

    @TempDir
    Path tmp;

    private String run(List<String> command, Path stderr) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().put("COLUMNS", "100");
        Path out = tmp.resolve("stdout.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 5 minutes");
        }
        assertEquals(0, process.exitValue(), Files.readString(stderr));
        return Files.readString(out);
    }

    @Test
    void onATerminalTheLineIsRedrawnWhileTheRunGoesOnAndWipedBeforeTheResults() throws Exception {
        String launcher = ROOT.resolve("scripts/relugrad") + " grad --generate 1000000,64,64,1 --outputs loss,dW";
        // Both stdout and stderr are the terminal script(1) makes; its output is what the terminal was sent, in order.
        String screen = run(List.of("script", "-qefc", launcher, "/dev/null"), tmp.resolve("stderr.txt"));
        int firstDraw = screen.indexOf("\rrelugrad: ");
        int results = screen.indexOf("loss = ");
        assertTrue(firstDraw >= 0 && results > firstDraw, "drawn before the results:\n" + screen);
        // stdout reaches the terminal directly and stderr through the launcher's filter, so the two streams' bytes
        // may interleave either way around the first result line: the wipe must come after the last drawing and
        // before the results' numbers.
        int lastDraw = screen.lastIndexOf("\rrelugrad: ");
        int wipe = screen.indexOf("\r\033[K", lastDraw);
        assertTrue(wipe > lastDraw && wipe < results, "wiped first:\n" + screen);
        assertTrue(screen.contains("generate: n=1000000 d=64 k=64 seed=1"), screen);
        // Up to the wipe: redrawn lines, relugrad's own log lines, and the first lines of stdout where they overtook
        // the wipe on its way through the launcher's filter.
        for (String redraw : screen.substring(firstDraw, wipe).split("[\r\n]+")) {
            String text = redraw.replace("\033[K", "");
            assertTrue(text.isBlank() || text.matches(LINE) || text.matches("\\d\\d:\\d\\d:\\d\\d .*")
                    || text.equals("generate: n=1000000 d=64 k=64 seed=1") || text.equals("n = 1000000, d = 64, k = 64"),
                    "a progress line, relugrad's own log line or stdout's first lines: '" + text + "'");
        }
    }

    @Test
    void inALogTheLinesAreWholeAndNothingElseReachesStderr() throws Exception {
        Path stderr = tmp.resolve("stderr.txt");
        String out = run(List.of(ROOT.resolve("scripts/relugrad").toString(), "grad", "--generate",
                "1000000,64,64,1", "--outputs", "loss,dW,dX,dY", "--progress", "0.2"), stderr);
        assertTrue(out.contains("loss = "), out);
        List<String> lines = Files.readAllLines(stderr);
        assertTrue(!lines.isEmpty(), "progress lines");
        assertTrue(lines.stream().allMatch(l -> l.matches(LINE)), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("relugrad: computing")), String.join("\n", lines));
    }
}
