package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.Fixture;
import org.relugrad.NaiveGradient;

/** scripts/relugrad end to end, as a separate process, on the jar that package built. */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    /**
     * The class archive the launcher keeps for the Java these tests run on, which it is given (JAVA_HOME): Java 25's
     * ahead-of-time cache from Java 25 on, else a dynamic class data sharing archive.
     */
    private static final Path ARCHIVE = ROOT.resolve("target/class-archive")
            .resolve(Runtime.version().feature() >= 25 ? "relugrad.aot" : "relugrad.jsa");

    private Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("scripts/relugrad").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The line of a JVM's class loading log that names a class and where it came from. */
    private static String classSource(Path log, String className) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(" " + className + " source: ")).findFirst()
                .orElseThrow(() -> new AssertionError(className + " not in " + log));
    }

    @Test
    void theDriverStartsFromTheBuildsClassArchiveAndWritesTheSameBits() throws Exception {
        Path archive = ARCHIVE;
        Path with = tmp.resolve("with");
        Path withLog = tmp.resolve("with.log");
        Result run = launch(Map.of(), "grad", "--generate", "3000,16,16,3", "--out", with.toString(),
                "--driver-java-options=-Xlog:class+load:file=" + withLog);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "stderr of a clean run");
        assertTrue(Files.size(archive) > 0, archive + " recorded");
        assertTrue(Files.getLastModifiedTime(archive).compareTo(
                Files.getLastModifiedTime(ROOT.resolve("target/relugrad.jar"))) > 0, "the archive is the jar's");
        // The JVM took relugrad's and Spark's classes from the archive, not from the jars (a dynamic archive is the
        // "top" layer over the JDK's own; Java 25's cache is one file): picocli's too, which the build rewrote from
        // Java 5 class files, and so every class of relugrad's jar.
        for (String name : List.of("org.relugrad.cli.Main", "org.apache.spark.SparkContext",
                "org.relugrad.shaded.picocli.CommandLine")) {
            assertTrue(classSource(withLog, name).matches(".* source: shared objects file( \\(top\\))?"),
                    classSource(withLog, name));
        }
        assertEquals(List.of(), Files.readAllLines(withLog).stream().filter(l -> l.contains("relugrad.jar")).toList(),
                "classes read from relugrad.jar");

        Path without = tmp.resolve("without");
        Path withoutLog = tmp.resolve("without.log");
        run = launch(Map.of("RELUGRAD_CLASS_ARCHIVE", "off"), "grad", "--generate", "3000,16,16,3", "--out",
                without.toString(), "--driver-java-options=-Xlog:class+load:file=" + withoutLog);
        assertEquals(0, run.exit(), run.err());
        assertTrue(classSource(withoutLog, "org.relugrad.cli.Main").contains("relugrad.jar"),
                classSource(withoutLog, "org.relugrad.cli.Main"));
        for (String part : List.of("dW.csv", "dX/part-00000.csv", "dX/part-00001.csv", "dY/part-00001.csv")) {
            assertEquals(-1L, Files.mismatch(with.resolve(part), without.resolve(part)), part);
        }
    }

    @Test
    void anArchiveTheJavaCannotUseLeavesTheRunAsItWas() throws Exception {
        Path archive = ARCHIVE;
        assertEquals(0, launch(Map.of(), "grad").exit());
        Path kept = tmp.resolve("kept.jsa");
        Files.move(archive, kept);
        try {
            // Not an archive at all, but newer than the jar: the launcher hands it on, the JVM starts without it.
            Files.write(archive, "not a class archive".getBytes(StandardCharsets.US_ASCII));
            Result run = launch(Map.of(), "grad");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("loss = 99.90477712668212"), run.out());
            assertEquals("", run.err(), "stderr of a run with an unusable archive");
        } finally {
            Files.move(kept, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        // A jar newer than the archive (a new build) has it recorded again.
        FileTime before = Files.getLastModifiedTime(archive);
        Files.setLastModifiedTime(ROOT.resolve("target/relugrad.jar"),
                FileTime.fromMillis(before.toMillis() + 1000));
        Result run = launch(Map.of(), "grad");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.getLastModifiedTime(archive).compareTo(before) > 0, "recorded again after a new jar");
    }

    @Test
    void withoutAJavaTheLauncherSaysSoInOneLine() throws Exception {
        Path noJava = tmp.resolve("no-java");
        Result run = launch(Map.of("JAVA_HOME", noJava.toString()), "grad");
        assertEquals(2, run.exit(), run.err());
        assertEquals(List.of("relugrad: no Java at " + noJava + "/bin/java: set JAVA_HOME to a Java 17 or later, or put"
                + " its java on PATH"), run.err().lines().toList());
        assertEquals("", run.out());
    }

    @Test
    void gradWithoutArgumentsPrintsTheExampleLoss() throws Exception {
        Result run = launch(Map.of(), "grad");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("loss = 99.90477712668212"), run.out());
        assertEquals("", run.err(), "stderr of a clean run");
        // The JVM echoes the launcher's JIT commands (lib/java-options.sh) on stdout unless told to keep quiet.
        assertTrue(!run.out().contains("CompileCommand"), run.out());
    }

    @Test
    void aGeneratedMillionRowRunPrintsNothingOnStderr() throws Exception {
        Result run = launch(Map.of(), "grad", "--generate", "1000000,16,16,1");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("n = 1000000, d = 16, k = 16"), run.out());
        assertEquals("", run.err(), "stderr of a clean run");
    }

    /** The dynamic linker's own list says whether the system has a BLAS; without one the bundled OpenBLAS runs. */
    @Test
    void summaryNamesTheNativeBlasTheTasksUsed() throws Exception {
        Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p").start();
        boolean systemBlas = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .contains("libblas.so.3 ");
        assertEquals(0, ldconfig.waitFor());
        Path out = tmp.resolve("out");
        Result run = launch(Map.of(), "grad", "--generate", "1000,80,70,5", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        String summary = Files.readString(out.resolve("summary.json"));
        String expected = systemBlas ? "system libblas.so.3 (JNIBLAS)" : "OpenBLAS 0.3.31 (bundled)";
        assertTrue(summary.contains("\"blas\": [\"" + expected + "\"]"), summary);
        assertTrue(summary.contains("\"kernel\": [\"blas\"]"), summary);
        // Rows of at most 64 values run the fused kernel, which calls no BLAS, so none is loaded or named.
        Path fused = tmp.resolve("fused");
        run = launch(Map.of(), "grad", "--generate", "1000,3,2,5", "--out", fused.toString());
        assertEquals(0, run.exit(), run.err());
        summary = Files.readString(fused.resolve("summary.json"));
        assertTrue(summary.contains("\"blas\": []"), summary);
        assertTrue(summary.matches("(?s).*\"kernel\": \\[\"fused-(vector|plain)\"\\].*"), summary);
    }

    @Test
    void sparkOptionsPassThroughAndOutputsAreWritten() throws Exception {
        Path out = tmp.resolve("out");
        Result run = launch(Map.of(), "--master", "local[1]", "grad", "--conf", "spark.ui.enabled=false",
                "--driver-memory", "700m", "--generate", "1000,3,2,5", "--out", out.toString(), "--partitions", "4");
        assertEquals(0, run.exit(), run.err());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"rows\": 1000") && summary.contains("\"partitions\": 4"), summary);
        try (var parts = Files.list(out.resolve("dX"))) {
            assertEquals(4, parts.count());
        }
    }

    @Test
    void npyFilesInGiveOneNpyFileOutThatMatchesNumPy() throws Exception {
        Path out = tmp.resolve("out");
        Result run = launch(Map.of(), "grad", "--x", Fixture.path("npy/big", "X.npy").toString(),
                "--y", Fixture.path("npy/big", "Y.npy").toString(), "--w", Fixture.path("npy/big", "W.npy").toString(),
                "--out", out.toString(), "--single-file", "--partitions", "3", "--block-rows", "64");
        assertEquals(0, run.exit(), run.err());
        assertTrue(NaiveGradient.relativeError(org.relugrad.NpyFile.read(out.resolve("dX.npy")),
                Fixture.matrix("npy/big", "dX.csv")) <= 1e-12);
        assertTrue(NaiveGradient.relativeError(org.relugrad.NpyFile.read(out.resolve("dW.npy")),
                Fixture.matrix("npy/big", "dW.csv")) <= 1e-12);
    }

    @Test
    void aBadFileEndsWithOneLineOnStderrAndExitCode2() throws Exception {
        Fixture f = Fixture.load("seed");
        Path in = f.copyInputsTo(Files.createDirectories(tmp.resolve("in")));
        Files.writeString(in.resolve("Y.csv"), Files.readString(in.resolve("Y.csv")) + "1,2,3,4\n");
        Result run = launch(Map.of(), "grad", "--x", in.resolve("X.csv").toString(), "--y",
                in.resolve("Y.csv").toString(), "--w", in.resolve("W.csv").toString());
        assertEquals(2, run.exit());
        assertEquals(List.of("relugrad: " + in.resolve("X.csv") + ": has 10 lines and " + in.resolve("Y.csv")
                + " has 11; the rows of X and Y must pair up line by line"),
                run.err().lines().toList());
    }

    @Test
    void aHeaderLineIsReportedAsOneLine() throws Exception {
        Path in = Fixture.load("seed").copyInputsTo(Files.createDirectories(tmp.resolve("hdr")));
        Files.writeString(in.resolve("X.csv"), "x0,x1,x2,x3\n" + Files.readString(in.resolve("X.csv")));
        Result run = launch(Map.of(), "grad", "--x", in.resolve("X.csv").toString(), "--y",
                in.resolve("Y.csv").toString(), "--w", in.resolve("W.csv").toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, run.exit());
        assertEquals(List.of("relugrad: " + in.resolve("X.csv") + " line 1: 'x0' is not a number"),
                run.err().lines().toList());
        assertTrue(!Files.exists(tmp.resolve("o")), "no output folder after a failed run");
    }

    @Test
    void theWrittenDWMatchesTheFixture() throws Exception {
        Path out = tmp.resolve("seed-out");
        Result run = launch(Map.of(), "grad", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(NaiveGradient.relativeError(Fixture.matrixAt(out.resolve("dW.csv")), Fixture.load("seed").dW())
                <= 1e-12);
    }

    @Test
    void withSparkHomeItSubmitsThroughThatSparkSubmit() throws Exception {
        Path recorded = fakeSparkSubmit();
        Result run = launch(Map.of("SPARK_HOME", tmp.resolve("spark").toString()),
                "grad", "--conf", "spark.executor.memory=2g", "--generate", "10,2,2,1", "--partitions", "2");
        assertEquals(0, run.exit(), run.err());
        List<String> args = readLines(recorded);
        int jar = args.indexOf(ROOT.resolve("target/relugrad.jar").toString());
        assertTrue(jar > 0, "the application jar: " + args);
        assertEquals(List.of("grad", "--generate", "10,2,2,1", "--partitions", "2"), args.subList(jar + 1, args.size()));
        List<String> sparkArgs = args.subList(0, jar);
        assertTrue(sparkArgs.containsAll(List.of("--master", "local[*]", "--class", "org.relugrad.cli.Main",
                "--conf", "spark.executor.memory=2g")), sparkArgs.toString());
    }

    @Test
    void inLocalModeTheDriverGetsHalfTheMachinesMemoryAndOnAClusterSparksOwnSetting() throws Exception {
        Path recorded = fakeSparkSubmit();
        Map<String, String> env = Map.of("SPARK_HOME", tmp.resolve("spark").toString());

        assertEquals(0, launch(env, "grad").exit());
        List<String> local = readLines(recorded);
        int option = local.indexOf("--driver-memory");
        assertTrue(option > 0, local.toString());
        assertEquals(halfTheMemoryLeavingTwoGiB() + "m", local.get(option + 1));
        String javaOptions = local.get(local.indexOf("--driver-java-options") + 1);
        assertTrue(javaOptions.contains("-XX:MaxNewSize=512m"), javaOptions);

        assertEquals(0, launch(env, "--driver-memory", "3g", "grad").exit());
        List<String> given = readLines(recorded);
        assertEquals("3g", given.get(given.indexOf("--driver-memory") + 1));
        String givenOptions = given.get(given.indexOf("--driver-java-options") + 1);
        assertTrue(!givenOptions.contains("MaxNewSize"), givenOptions);

        assertEquals(0, launch(env, "--master", "spark://example:7077", "grad").exit());
        assertTrue(!readLines(recorded).contains("--driver-memory"), readLines(recorded).toString());
    }

    @Test
    void aSecretFileIsPassedOnByItsNameAloneAndMustBeTheOwnersAlone() throws Exception {
        Path recorded = fakeSparkSubmit();
        Map<String, String> env = Map.of("SPARK_HOME", tmp.resolve("spark").toString());
        String secret = "5ec7e7".repeat(8);
        Path file = Files.writeString(tmp.resolve("secret"), secret);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertEquals(0, launch(env, "--master", "spark://example:7077", "grad", "--secret-file", file.toString()).exit());
        List<String> args = readLines(recorded);
        assertTrue(args.containsAll(List.of("spark.authenticate=true", "spark.authenticate.secret.file=" + file,
                "spark.network.crypto.enabled=true", "spark.io.encryption.enabled=true")), args.toString());
        assertTrue(args.stream().noneMatch(a -> a.contains(secret) || a.equals("--secret-file")), args.toString());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Result readable = launch(env, "grad", "--secret-file", file.toString());
        assertEquals(2, readable.exit());
        assertEquals("relugrad: the secret file " + file + " can be read by others; chmod 600 it\n", readable.err());
    }

    @Test
    void inLocalModeTheHeapIsInTransparentHugePagesWhereLinuxOffersThemAndTheUsersOptionComesAfter() throws Exception {
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        assumeTrue(Files.isReadable(setting) && !Files.readString(setting).contains("[never]"),
                "Linux offers no transparent huge pages here");
        Path recorded = fakeSparkSubmit();
        Map<String, String> env = Map.of("SPARK_HOME", tmp.resolve("spark").toString());

        assertEquals(0, launch(env, "--driver-java-options", "-XX:-UseTransparentHugePages", "grad").exit());
        List<String> defaultHeap = readLines(recorded);
        String options = defaultHeap.get(defaultHeap.indexOf("--driver-java-options") + 1);
        assertTrue(options.endsWith(" -XX:MaxNewSize=512m -XX:+UseTransparentHugePages -XX:-UseTransparentHugePages"),
                options);

        assertEquals(0, launch(env, "--driver-memory", "3g", "grad").exit());
        List<String> givenHeap = readLines(recorded);
        String given = givenHeap.get(givenHeap.indexOf("--driver-java-options") + 1);
        assertTrue(given.endsWith(" -XX:+UseTransparentHugePages") && !given.contains("MaxNewSize"), given);

        assertEquals(0, launch(env, "--master", "spark://example:7077", "grad").exit());
        List<String> cluster = readLines(recorded);
        assertTrue(cluster.stream().noneMatch(a -> a.contains("UseTransparentHugePages")), cluster.toString());
    }

    /** A SPARK_HOME at tmp/spark whose bin/spark-submit only writes its arguments, one a line, to the file returned. */
    private Path fakeSparkSubmit() throws IOException {
        Path recorded = tmp.resolve("args.txt");
        Path submit = Files.createDirectories(tmp.resolve("spark/bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + recorded + "'\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return recorded;
    }

    /** The manual's rule (memory-and-blas.md), from /proc/meminfo (and the cgroup's limit where lower), in MiB. */
    private static long halfTheMemoryLeavingTwoGiB() throws IOException {
        long total = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        Path limit = Path.of("/sys/fs/cgroup/memory.max");
        if (!Files.exists(limit)) {
            limit = Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        }
        if (Files.exists(limit) && Files.readString(limit).trim().matches("[0-9]+")) {
            total = Math.min(total, Long.parseLong(Files.readString(limit).trim()) / (1024 * 1024));
        }
        return Math.max(1024, Math.min(total / 2, total - 2048));
    }

    private static List<String> readLines(Path file) throws IOException {
        return Files.readAllLines(file);
    }
}
