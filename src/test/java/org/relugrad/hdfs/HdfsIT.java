package org.relugrad.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.HdfsBlockLocation;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.OutputFiles;
import org.relugrad.ParquetTables;
import org.relugrad.Matrix;

/**
 * relugrad on a real HDFS (scripts/local-hdfs: a NameNode and two DataNodes), through scripts/relugrad on the
 * packaged jar: .npy, CSV and Parquet inputs read from hdfs://, every output format written there, each run's files
 * the same bytes (Parquet's: the same values) as the same run's on the local file system (whose results are checked
 * against the naive float64 loop); a corrupt replica and a DataNode stopped mid-job; check --expected reading a
 * run's output back from HDFS.
 *
 * <p>Files are written with replication 2 in blocks of 1 MiB, so that inputs and outputs span many blocks, each on
 * both DataNodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final int N = 120_000;
    private static final int D = 8;
    private static final int K = 8;
    private static final int PARTITIONS = 30;
    private static final long BLOCK_SIZE = 1 << 20;
    private static final List<String> SPARK = List.of("--master", "local[2]",
            "--conf", "spark.hadoop.dfs.replication=2", "--conf", "spark.hadoop.dfs.blocksize=" + BLOCK_SIZE);

    @TempDir
    static Path work;

    private static HdfsScript hdfs;
    private static FileSystem fs;
    private static NaiveGradient expected;
    private final List<Run> runs = new ArrayList<>();

    @BeforeAll
    static void startHdfsAndStoreTheInputs() throws Exception {
        hdfs = new HdfsScript(ROOT, ROOT.resolve("target/hdfs-it"));
        hdfs.stop();
        hdfs.start();
        Configuration conf = new Configuration();
        conf.setInt("dfs.replication", 2);
        conf.setLong("dfs.blocksize", BLOCK_SIZE);
        fs = FileSystem.newInstance(URI.create(hdfs.uri()), conf);

        Random random = new Random(13);
        Matrix x = NaiveGradient.random(random, N, D);
        Matrix w = NaiveGradient.random(random, D, K);
        Matrix y = NaiveGradient.random(random, N, K);
        expected = new NaiveGradient(x, w, y);
        Path in = Files.createDirectories(work.resolve("in"));
        writeNpy(in.resolve("X.npy"), x);
        writeNpy(in.resolve("Y.npy"), y);
        writeNpy(in.resolve("W.npy"), w);
        OutputFiles.writeCsv(in.resolve("X.csv"), x);
        OutputFiles.writeCsv(in.resolve("Y.csv"), y);
        OutputFiles.writeCsv(in.resolve("W.csv"), w);
        ParquetTables.write(in.resolve("T.parquet"), x, y, ParquetTables.inOrder(N), false,
                new ParquetTables.Shape(true, false, false, false, 3, 10_000, 2_000));
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(in.toUri()), hdfs("in"));
    }

    @AfterAll
    static void stopHdfsAndCheckNothingIsLeft() throws Exception {
        if (hdfs == null) {
            return;
        }
        if (fs != null) {
            fs.close();
        }
        hdfs.stop();
        assertEquals(List.of(), hdfs.jvms(), "the HDFS JVM left after stop");
        assertTrue(hdfs.status().contains("not running"));
        assertEquals(List.of("logs"), OutputFiles.names(hdfs.dir()));
    }

    @AfterEach
    void endRuns() {
        runs.forEach(Run::kill);
    }

    @Test
    @Order(1)
    void startPrintsItsUriLastStatusListsTheServersAndTheShellSeesTheInputs() throws Exception {
        assertTrue(hdfs.uri().matches("hdfs://127\\.0\\.0\\.1:[0-9]+"), hdfs.uri());
        String status = hdfs.status();
        assertTrue(status.contains("namenode " + hdfs.uri()), status);
        assertTrue(status.matches("(?s).*datanode 1 127\\.0\\.0\\.1:[0-9]+ running.*"), status);
        assertTrue(status.matches("(?s).*datanode 2 127\\.0\\.0\\.1:[0-9]+ running.*"), status);
        assertEquals(1, hdfs.jvms().size(), status);
        assertTrue(hdfs.start().contains("already running"));
        String listing = hdfs.fs("-stat", "%r %b %n", "/in/X.npy");
        assertTrue(listing.contains("2 " + Files.size(work.resolve("in/X.npy")) + " X.npy"), listing);
    }

    @Test
    @Order(2)
    void npyReadByOffsetFromHdfsAndWrittenInPartsThereGivesTheLocalBits() throws Exception {
        Path local = work.resolve("npy-local");
        grad("npy-local", npyInput(localIn()), "--out", local.toString()).succeeds();
        assertNear(expected.dW, NpyFile.read(local.resolve("dW.npy")));
        assertNear(expected.dX, NpyFile.stackParts(local, "dX"));
        assertNear(expected.dY, NpyFile.stackParts(local, "dY"));
        assertLoss(local);

        grad("npy-hdfs", npyInput(hdfs("in").toString()), "--out", hdfs("out/npy").toString()).succeeds();
        JsonNode summary = assertSameFiles(local, "out/npy");
        assertFalse(summary.get("shuffle").asBoolean(), "the rows read at their offsets, not shuffled");
    }

    @Test
    @Order(3)
    void npySingleFileIsAssembledOnHdfsIntoTheBytesTasksWriteInPlaceLocally() throws Exception {
        Path local = work.resolve("single-local");
        grad("single-local", npyInput(localIn()), "--single-file", "--out", local.toString()).succeeds();
        assertNear(expected.dX, NpyFile.read(local.resolve("dX.npy")));
        assertNear(expected.dY, NpyFile.read(local.resolve("dY.npy")));

        grad("single-hdfs", npyInput(hdfs("in").toString()), "--single-file",
                "--out", hdfs("out/single").toString()).succeeds();
        assertSameFiles(local, "out/single");
    }

    @Test
    @Order(4)
    void csvReadFromHdfsAndWrittenThereGivesTheLocalBits() throws Exception {
        Path local = work.resolve("csv-local");
        grad("csv-local", csvInput(localIn()), "--out", local.toString()).succeeds();
        assertNear(expected.dX, OutputFiles.perRow(local, "dX", N, D));
        assertNear(expected.dY, OutputFiles.perRow(local, "dY", N, K));
        assertLoss(local);

        grad("csv-hdfs", csvInput(hdfs("in").toString()), "--out", hdfs("out/csv").toString()).succeeds();
        assertSameFiles(local, "out/csv");
    }

    @Test
    @Order(5)
    void parquetReadFromHdfsAndWrittenThereGivesTheLocalBits() throws Exception {
        Path local = work.resolve("parquet-local");
        grad("parquet-local", parquetInput(localIn()), "--out", local.toString()).succeeds();
        assertLoss(local);

        grad("parquet-hdfs", parquetInput(hdfs("in").toString()), "--out",
                hdfs("out/parquet").toString()).succeeds();
        assertSameFiles(local, "out/parquet");
    }

    /** check reads back every format grad wrote to HDFS, the loss in summary.json too, bit for bit. */
    @Test
    @Order(6)
    void checkExpectedReadsEveryFormatGradWroteToHdfsBitForBit() throws Exception {
        for (String out : List.of("out/npy", "out/single", "out/csv", "out/parquet")) {
            List<String> args = new ArrayList<>(npyInput(hdfs("in").toString()));
            args.addAll(List.of("--expected", hdfs(out).toString(), "--rtol", "0", "--atol", "0"));
            String log = start("check-" + out.replace('/', '-'), "check", args).succeeds();
            assertTrue(log.contains("compared: loss, dW, dX, dY"), out + ":\n" + log);
            for (String tensor : List.of("dW", "dX", "dY")) {
                assertTrue(log.lines().anyMatch(l -> l.strip().startsWith(tensor + " ")),
                        out + ": " + tensor + " compared:\n" + log);
            }
        }
    }

    /**
     * A replica changed on disk (bytes in the middle of each block of a copy of X.npy, on DataNode 1) is found by
     * its checksums and the other replica read instead: the same bits. With checksums off, the tasks would compute
     * with the changed bytes wherever they read DataNode 1's replica.
     */
    @Test
    @Order(7)
    void aCorruptReplicaIsFoundByItsChecksumAndTheOtherOneRead() throws Exception {
        org.apache.hadoop.fs.Path x = hdfs("corrupt/X.npy");
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(work.resolve("in/X.npy").toUri()), x);
        int corrupted = 0;
        for (BlockLocation block : fs.getFileBlockLocations(x, 0, fs.getFileStatus(x).getLen())) {
            long id = ((HdfsBlockLocation) block).getLocatedBlock().getBlock().getBlockId();
            corrupted += corrupt(hdfs.dir().resolve("data/datanode-1"), "blk_" + id);
        }
        assertTrue(corrupted > 1, "X.npy's blocks on DataNode 1: " + corrupted);

        List<String> input = List.of("--x", x.toString(), "--y", hdfs("in/Y.npy").toString(),
                "--w", hdfs("in/W.npy").toString());
        Run run = grad("corrupt-replica", input, "--out", hdfs("out/corrupt-replica").toString());
        String log = run.succeeds();
        assertSameFiles(work.resolve("npy-local"), "out/corrupt-replica");
        assertTrue(log.contains("Checksum error"), "no task met the corrupt replica:\n" + log);
    }

    /**
     * Overwrites 64 bytes every 64 KiB of the block file {@code name} under {@code storage} (past its first 4 KiB);
     * 1 if found. So every task that reads from this replica meets it: with one spot in the middle of each block,
     * only the few tasks whose rows cover a middle could, each on the other replica half the time, and in one CI
     * run none did.
     */
    private static int corrupt(Path storage, String name) throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().equals(name)).toList();
            for (Path block : found) {
                try (FileChannel channel = FileChannel.open(block, StandardOpenOption.WRITE)) {
                    byte[] garbage = new byte[64];
                    Arrays.fill(garbage, (byte) 0x3f);
                    for (long at = 4096; at + garbage.length <= channel.size(); at += 64 * 1024) {
                        channel.write(ByteBuffer.wrap(garbage), at);
                    }
                }
            }
            return found.size();
        }
    }

    /**
     * With replication 2, a DataNode that stops while tasks read the inputs and write their parts costs nothing:
     * reads go to the other replica, writes go on with the DataNode left. The parts written after the stop show it:
     * their blocks lie on that one DataNode.
     */
    @Test
    @Order(8)
    void aDataNodeStoppedMidJobCostsNothing() throws Exception {
        Path local = work.resolve("csv-local");
        org.apache.hadoop.fs.Path out = hdfs("out/datanode-stopped");
        Run run = grad("datanode-stopped", csvInput(hdfs("in").toString()), "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!midJob(out)) {
            assertTrue(run.process().isAlive(), "the run ended before its tasks were seen at work:\n" + run.log());
            assertTrue(System.nanoTime() < deadline, "timed out waiting for the tasks to start");
            Thread.sleep(50);
        }
        hdfs.stopDataNode(2);
        assertTrue(hdfs.status().matches("(?s).*datanode 2 \\S+ stopped.*"), hdfs.status());
        run.succeeds();
        assertSameFiles(local, "out/datanode-stopped");
        assertTrue(partsOnOneDataNode(out) > 0, "no part was written after the DataNode stopped");
    }

    /** Some tasks have begun their parts, most have yet to: attempt files under DIR/_temporary say which. */
    private static boolean midJob(org.apache.hadoop.fs.Path out) throws IOException {
        org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(out, "_temporary");
        if (!fs.exists(temporary) || fs.exists(new org.apache.hadoop.fs.Path(out, "summary.json"))) {
            return false;
        }
        int started = 0;
        try {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(temporary, true);
            while (files.hasNext()) {
                LocatedFileStatus file = files.next();
                if (file.getPath().getParent().getName().equals("dY") && file.getPath().getName().contains(".attempt-")) {
                    started++;
                }
            }
        } catch (java.io.FileNotFoundException endedMeanwhile) {
            return false;
        }
        return started >= 4 && started <= PARTITIONS / 3;
    }

    /** The part files of dX and dY whose every block lies on one DataNode only. */
    private static int partsOnOneDataNode(org.apache.hadoop.fs.Path out) throws IOException {
        int count = 0;
        for (String tensor : List.of("dX", "dY")) {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(new org.apache.hadoop.fs.Path(out, tensor), false);
            while (files.hasNext()) {
                BlockLocation[] blocks = files.next().getBlockLocations();
                boolean oneDataNode = blocks.length > 0;
                for (BlockLocation block : blocks) {
                    oneDataNode &= block.getNames().length == 1;
                }
                count += oneDataNode ? 1 : 0;
            }
        }
        return count;
    }

    private static String localIn() {
        return work.resolve("in").toString();
    }

    private static org.apache.hadoop.fs.Path hdfs(String path) {
        return new org.apache.hadoop.fs.Path(hdfs.uri() + "/" + path);
    }

    private static List<String> npyInput(String in) {
        return List.of("--x", in + "/X.npy", "--y", in + "/Y.npy", "--w", in + "/W.npy");
    }

    private static List<String> csvInput(String in) {
        return List.of("--x", in + "/X.csv", "--y", in + "/Y.csv", "--w", in + "/W.csv");
    }

    private static List<String> parquetInput(String in) {
        return List.of("--table", in + "/T.parquet", "--w", in + "/W.npy");
    }

    /** Starts {@code scripts/relugrad grad INPUT EXTRA} in PARTITIONS partitions, its output in NAME.log. */
    private Run grad(String name, List<String> input, String... extra) throws IOException {
        List<String> args = new ArrayList<>(input);
        args.addAll(List.of(extra));
        args.addAll(List.of("--partitions", Integer.toString(PARTITIONS)));
        return start(name, "grad", args);
    }

    private Run start(String name, String command, List<String> args) throws IOException {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("scripts/relugrad").toString(), command));
        line.addAll(args);
        line.addAll(List.of("--block-rows", "2000"));
        line.addAll(SPARK);
        line.addAll(List.of("--conf", "spark.local.dir=" + Files.createDirectories(work.resolve(name + "-scratch"))));
        ProcessBuilder builder = new ProcessBuilder(line).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().remove("SPARK_HOME");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Run run = new Run(name, builder.start());
        runs.add(run);
        return run;
    }

    /** One scripts/relugrad run in a process of its own. */
    private record Run(String name, Process process) {
        /** Waits for the end; fails unless it exits with 0. Returns what it printed. */
        String succeeds() throws Exception {
            boolean ended = process.waitFor(4, TimeUnit.MINUTES);
            assertTrue(ended, name + " did not finish in 4 minutes:\n" + log());
            assertEquals(0, process.exitValue(), name + " failed:\n" + log());
            return log();
        }

        String log() throws IOException {
            return Files.readString(work.resolve(name + ".log"));
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * The HDFS folder {@code hdfsDir}, copied here, holds the same files as the local run's folder {@code local},
     * each the same bytes (Parquet parts: the same values), but for summary.json (which names its input and
     * times), whose loss must be the same double. Returns the HDFS run's summary.
     */
    private static JsonNode assertSameFiles(Path local, String hdfsDir) throws IOException {
        Path copy = work.resolve("copy-" + hdfsDir.replace('/', '-'));
        fs.copyToLocalFile(false, hdfs(hdfsDir), new org.apache.hadoop.fs.Path(copy.toUri()), true);
        List<Path> expected = files(local);
        assertEquals(expected.stream().map(local::relativize).toList(), files(copy).stream().map(copy::relativize)
                .toList(), "the files of " + hdfsDir);
        for (Path file : expected) {
            Path other = copy.resolve(local.relativize(file));
            String name = file.getFileName().toString();
            if (name.endsWith(".parquet")) {
                assertEquals(parquetContent(file), parquetContent(other), other + " differs from " + file);
            } else if (!name.equals("summary.json")) {
                long at = Files.mismatch(file, other);
                assertEquals(-1, at, other + " differs from " + file + " at byte " + at);
            }
        }
        JsonNode summary = summary(copy);
        assertEquals(Double.doubleToLongBits(summary(local).get("loss").asDouble()),
                Double.doubleToLongBits(summary.get("loss").asDouble()), "loss");
        return summary;
    }

    /**
     * A Parquet part's schema and every value, as exact bits. Not its bytes: a Parquet footer lists each column's
     * encodings in a set's order, which changes from one JVM to the next, so two writes of the same values differ
     * in a few bytes there.
     */
    private static List<Object> parquetContent(Path part) throws IOException {
        String column = part.getParent().getFileName().toString();
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(part.toUri());
        List<Object> content = new ArrayList<>();
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, new Configuration()))) {
            content.add(footer.getFooter().getFileMetaData().getSchema().toString());
        }
        try (ParquetReader<Group> in = ParquetReader.builder(new GroupReadSupport(), path).build()) {
            for (Group row = in.read(); row != null; row = in.read()) {
                content.add(row.getLong("row", 0));
                Group list = row.getGroup(column, 0);
                for (int c = 0; c < list.getFieldRepetitionCount("list"); c++) {
                    content.add(Double.doubleToRawLongBits(list.getGroup("list", c).getDouble("element", 0)));
                }
            }
        }
        return content;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static JsonNode summary(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    private static void assertNear(Matrix reference, Matrix actual) {
        double error = NaiveGradient.relativeError(actual, reference);
        assertTrue(error <= 1e-12, "relative error " + error);
    }

    private static void assertLoss(Path dir) throws IOException {
        double loss = summary(dir).get("loss").asDouble();
        assertTrue(Math.abs(loss - expected.loss) <= 1e-12 * expected.loss, loss + " vs " + expected.loss);
    }

    /** Writes {@code m} as NumPy's np.save would: a version 1.0 header padded to 64 bytes, then C-order float64. */
    private static void writeNpy(Path file, Matrix m) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int padded = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - 10 - dict.length() - 1) + "\n";
        ByteBuffer bytes = ByteBuffer.allocate(padded + m.values().length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII));
        bytes.asDoubleBuffer().put(m.values());
        Files.write(file, bytes.array());
    }
}
