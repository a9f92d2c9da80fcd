package org.relugrad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.relugrad.internal.cluster.SparkLogs;
import org.relugrad.internal.cluster.SparkRuntime;

/**
 * The run the launcher records the JVM's class archive from (scripts/relugrad, once per build and Java): a Java
 * started with {@code -XX:ArchiveClassesAtExit} writes every class it loaded, parsed and verified, into a file
 * that later JVMs map at start instead of reading some eight thousand classes out of two hundred jars, which
 * takes a second or two of a short run's time. So this run loads what runs load: Spark's start and a job, each
 * input format (CSV and .npy files, generated rows), each output format, both kernels and check, on the
 * built-in example and on small generated matrices, in one Spark context. What it computes is thrown away.
 *
 * <p>{@code ClassArchiveRun DIR}: works in DIR, which must not exist, and removes it at the end; exits 0 when
 * every command did, else 1 (the launcher then keeps no archive).
 */
public final class ClassArchiveRun {
    private static final String EXAMPLE = "/org/relugrad/example/";

    private ClassArchiveRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClassArchiveRun DIR");
            System.exit(Main.EXIT_USAGE);
        }
        SparkLogs.quietWhatRelugradReports();
        Path dir = Path.of(args[0]);
        Files.createDirectory(dir);
        int exit;
        try (SparkRuntime spark = SparkRuntime.start("relugrad class archive")) {
            exit = runAll(dir, spark);
        } finally {
            removeTree(dir);
        }
        System.exit(exit);
    }

    private static int runAll(Path dir, SparkRuntime spark) throws IOException {
        for (String name : List.of("X.csv", "Y.csv", "W.csv")) {
            try (InputStream in = ClassArchiveRun.class.getResourceAsStream(EXAMPLE + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        String d = dir.toString() + "/";
        List<String[]> commands = List.of(
                // The built-in example, its gradients printed: the README's first command.
                args("grad"),
                // The example's CSV files in, each output format out, the fused kernel.
                args("grad", "--x", d + "X.csv", "--y", d + "Y.csv", "--w", d + "W.csv", "--out", d + "csv",
                        "--format", "csv"),
                args("grad", "--x", d + "X.csv", "--y", d + "Y.csv", "--w", d + "W.csv", "--out", d + "parquet",
                        "--format", "parquet"),
                // Generated rows, .npy parts and one .npy file out, then those files in.
                args("grad", "--generate", "20000,16,16,1", "--out", d + "npy", "--format", "npy",
                        "--single-file"),
                args("grad", "--x", d + "npy/dX.npy", "--y", d + "npy/dY.npy", "--w", d + "npy/dW.npy",
                        "--out", d + "npy-parts", "--format", "npy"),
                // Wide rows: the BLAS kernel.
                args("grad", "--generate", "600,96,80,1", "--outputs", "loss,dW"),
                args("check", "--x", d + "X.csv", "--y", d + "Y.csv", "--w", d + "W.csv", "--expected", d + "csv"));
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        int exit = 0;
        for (String[] command : commands) {
            int code = Main.run(command, discard, new PrintWriter(System.err, true),
                    () -> SparkRuntime.borrow(spark.context()));
            if (code != 0) {
                System.err.println("ClassArchiveRun: " + String.join(" ", command) + " exited with " + code);
                exit = Main.EXIT_FAILURE;
            }
        }
        return exit;
    }

    private static String[] args(String... words) {
        return words;
    }

    private static void removeTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
