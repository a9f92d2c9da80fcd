package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * relugrad on a secured cluster of hosts (scripts/local-cluster start --hosts 2 --secure: authentication with a
 * generated secret, encrypted RPC and I/O): with the secret file the results are local mode's bits, the secret on
 * no command line and in no log, and nothing of W in the clear on the wire; without the secret, or with a wrong
 * one, the master refuses the driver at once, in one line, and no task runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("relugrad.project.dir", ".")).toAbsolutePath();
    private static final Path DIR = ROOT.resolve("target/secure-cluster-it");

    @TempDir
    static Path work;

    private static LocalCluster cluster;
    private static HostRuns runs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.onHosts(ROOT, DIR, "rgsc", "10.213.202", 2, true);
        cluster.stop();
        cluster.start();
        runs = new HostRuns(ROOT, work, cluster, List.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.stop();
            assertEquals(List.of(), cluster.jvms(), "JVMs of the cluster left after stop");
            assertFalse(Files.exists(cluster.secretFile()), "stop removes the secret");
        }
    }

    @AfterEach
    void endSubmissions() {
        runs.killAll();
    }

    @Test
    @Order(1)
    void theSecretIsTheOwnersAlone() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.secretFile())));
        assertTrue(Files.readString(cluster.secretFile()).matches("[0-9a-f]{64}"), "256 random bits in hex");
    }

    @Test
    @Order(1)
    void theMastersWebUiIsOnTheMastersHostOnly() throws Exception {
        String json = cluster.exec("master", "curl", "-sf", "http://127.0.0.1:" + cluster.uiPort() + "/json/");
        assertTrue(json.replaceAll("\\s", "").contains("\"aliveworkers\":2"), json);
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(
                    new InetSocketAddress(cluster.address("master"), cluster.uiPort()), 10_000));
        }
    }

    @Test
    @Order(2)
    void withTheSecretTheBitsOfLocalModeTheSecretNowhereAndNothingOfWOnTheWire() throws Exception {
        RunOutput expected = runs.local();
        String secret = Files.readString(cluster.secretFile());
        Set<String> shownIn = new ConcurrentSkipListSet<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                shownIn.addAll(commandLinesHolding(secret));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        byte[] traffic;
        Submission run;
        try (Capture capture = Capture.start(cluster.bridge(), work.resolve("secure.pcap"))) {
            watcher.start();
            run = runs.submit("secured", "--secret-file", cluster.secretFile().toString());
            RunOutput result = new RunOutput(run.succeeds().out());
            traffic = capture.stop();
            HostRuns.assertCompleteAndIdentical(result, expected);
        } finally {
            running.set(false);
            watcher.join();
        }
        assertEquals(Set.of(), shownIn, "command lines holding the secret");
        List<Path> logs = new ArrayList<>(filesHolding(DIR, secret));
        if (run.log().contains(secret)) {
            logs.add(work.resolve("secured.log"));
        }
        assertEquals(List.of(), logs, "files holding the secret, but for the secret file");
        assertTrue(traffic.length > 100_000, "the capture holds the job's traffic: " + traffic.length + " bytes");
        assertEquals(0, Capture.occurrences(traffic, HostRuns.w().values()), "W's values on the wire in the clear");
    }

    @Test
    @Order(3)
    void withoutTheSecretTheMasterRefusesInOneLineAndNoTaskRuns() throws Exception {
        assertRefused(runs.submit("no-secret"));
    }

    @Test
    @Order(4)
    void withAWrongSecretTheMasterRefusesInOneLineAndNoTaskRuns() throws Exception {
        Path wrong = Files.writeString(work.resolve("wrong.secret"), "0".repeat(64));
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        assertRefused(runs.submit("wrong-secret", "--secret-file", wrong.toString()));
    }

    private static void assertRefused(Submission run) throws Exception {
        List<Path> applications = applicationFolders();
        int exit = run.exit(30, TimeUnit.SECONDS);
        assertNotEquals(0, exit);
        assertEquals("relugrad: the master at " + cluster.masterUrl()
                + " refused the connection: authentication failed; pass --secret-file", run.log().strip());
        assertFalse(Files.exists(run.out()), "the refused run made its output folder");
        assertEquals(applications, applicationFolders(), "an executor was launched for the refused run");
    }

    /** The workers' folders of the applications they ran executors for. */
    private static List<Path> applicationFolders() throws IOException {
        try (Stream<Path> files = Files.find(DIR.resolve("work"), 2,
                (p, a) -> p.getFileName().toString().startsWith("app-"))) {
            return files.sorted().toList();
        }
    }

    /** The pids whose command line holds {@code secret}, as "pid: command". */
    private static List<String> commandLinesHolding(String secret) {
        return ProcessHandle.allProcesses()
                .filter(p -> String.join(" ", LocalCluster.arguments(p)).contains(secret))
                .map(p -> p.pid() + ": " + String.join(" ", LocalCluster.arguments(p)))
                .toList();
    }

    /** The files under {@code dir} that hold {@code secret}, but for the secret file itself. */
    private static List<Path> filesHolding(Path dir, String secret) throws IOException {
        byte[] bytes = secret.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).filter(f -> !f.equals(cluster.secretFile()))
                    .filter(f -> contains(f, bytes)).toList();
        }
    }

    private static boolean contains(Path file, byte[] pattern) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                    .contains(new String(pattern, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return false;  // a file removed meanwhile
        }
    }
}
