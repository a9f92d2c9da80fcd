package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;

/**
 * scripts/relugrad, as a separate process, where things go wrong: each failure ends with its exit code and one
 * line on stderr, with nothing of Spark's log, and leaves no output folder.
 */
class FailureLinesIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Result launch(List<String> prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(ROOT.resolve("scripts/relugrad").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().remove("SPARK_HOME");
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 3 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Result launch(String... args) throws Exception {
        return launch(List.of(), args);
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aMasterThatIsDownIsOneLineInClientAndInClusterDeployMode() throws Exception {
        String master = "spark://127.0.0.1:" + closedPort();
        Path out = tmp.resolve("out");
        Result client = launch("grad", "--master", master, "--generate", "100,2,2,1", "--out", out.toString());
        assertEquals(1, client.exit(), client.err());
        assertEquals(List.of("relugrad: no Spark master answers at " + master + " (connection refused at "
                + master.substring(8) + "); start it, or give --master the address of one that runs"),
                client.errLines());
        assertFalse(Files.exists(out), "an output folder");

        Result cluster = launch("grad", "--master", master, "--deploy-mode", "cluster", "--generate", "100,2,2,1",
                "--out", out.toString());
        assertEquals(1, cluster.exit(), cluster.err());
        assertEquals(List.of("relugrad: no Spark master answers at " + master + " (nothing accepts connections at "
                + master.substring(8) + "); start it, or give --master the address of one that runs"),
                cluster.errLines());
        assertFalse(Files.exists(out), "an output folder");
    }

    /** Past 32 files the tasks read the footers: still one line, no executor's error, no SparkSession warning. */
    @Test
    void aTableOfFilesThatAreNotParquetIsOneLine() throws Exception {
        Path in = Fixture.load("seed").copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        Path table = Files.createDirectories(tmp.resolve("table"));
        for (int i = 0; i < 40; i++) {
            Files.copy(in.resolve("X.csv"), table.resolve(String.format("part-%05d.parquet", i)));
        }
        Path out = tmp.resolve("out");
        // --progress off: a run slower than 10 s (a loaded machine) would print progress lines too.
        Result run = launch("grad", "--table", table.toString(), "--w", in.resolve("W.csv").toString(),
                "--out", out.toString(), "--progress", "off");
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("relugrad: " + table + "/part-00000.parquet: cannot be read as Parquet: "),
                run.err());
        assertFalse(Files.exists(out), "an output folder");
    }

    /**
     * The output folder on a 1 MiB file system of its own (tmpfs, in a mount namespace of the launcher's own), far
     * too small for dX and dY.
     */
    @Test
    void aFullDiskIsOneLineAndLeavesNoFolder() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        List<String> smallDisk = List.of("unshare", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$0\" && { \"$@\"; code=$?; ls -A \"$0\" > \"$0.left\"; exit $code; }",
                disk.toString());
        // Where the machine does not allow it (no unshare, or no right to mount), the test is reported as skipped,
        // with what the probe said: not passed.
        String refusal;
        try {
            Process probe = new ProcessBuilder(List.of("unshare", "--mount", "sh", "-c",
                    "mount -t tmpfs -o size=1m tmpfs \"$0\"", disk.toString())).redirectErrorStream(true).start();
            String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = probe.waitFor();
            refusal = exit == 0 ? null : "exit " + exit + (said.isEmpty() ? "" : ": " + said);
        } catch (IOException e) {
            refusal = e.getMessage();
        }
        assumeTrue(refusal == null, "the full-disk case needs a 1 MiB tmpfs mounted in a mount namespace of the "
                + "test's own (unshare --mount, mount -t tmpfs), which this machine refused (" + refusal + ")");

        Path out = disk.resolve("out");
        // --progress off: a run slower than 10 s (a loaded machine) would print progress lines too.
        Result run = launch(smallDisk, "grad", "--generate", "100000,16,16,1", "--partitions", "2",
                "--out", out.toString(), "--progress", "off");
        assertEquals(1, run.exit(), run.err());
        assertEquals(List.of("relugrad: " + out + ": no space left on its disk while writing the results (nothing "
                + "was kept); free some space there, or give --out a folder on another disk"), run.errLines());
        assertEquals("", Files.readString(tmp.resolve("disk.left")), "what the run left on the full disk");
    }

    @Test
    void aMistypedCommandGetsAHintAndVersionPrintsTheVersion() throws Exception {
        Result typo = launch("grd");
        assertEquals(2, typo.exit());
        assertEquals(List.of("relugrad: unknown command 'grd' (the commands: grad, check, fit); did you mean grad?"),
                typo.errLines());
        Result version = launch("grad", "--version");
        assertEquals(0, version.exit(), version.err());
        assertEquals("relugrad 0.1.0\n", version.out());
        assertEquals("", version.err());
    }
}
