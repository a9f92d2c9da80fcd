package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When a run whose executors have not registered is given up on, and in what words; times are given, not waited
 * for.
 */
class ExecutorStartupTest {
    private static final String DRIVER = "127.0.0.1:41234";
    private static final long T0 = 1_000_000_000L;

    private static long at(double seconds) {
        return T0 + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void executorsThatExitOnEveryHostBeforeRegisteringEndTheRunNamingTheAddress() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.DRIVER_HOST);
        s.started("0", "10.213.201.3", at(0));
        s.started("1", "10.213.201.4", at(0.1));
        s.exited("0", "Command exited with code 1");
        assertEquals(Optional.empty(), s.failure(at(3), DRIVER), "one host's executor exited, the other's may start");
        s.started("2", "10.213.201.3", at(3.5));
        s.exited("1", "Command exited with code 1");
        assertEquals(Optional.of("no executor reached the driver at 127.0.0.1:41234: the cluster started 3 executors "
                + "on 2 hosts and 2 of them exited before registering (Command exited with code 1); set "
                + "spark.driver.host to an address of this machine that the executors' hosts reach, or leave it "
                + "unset for the address that routes to the master"), s.failure(at(4), DRIVER));
    }

    @Test
    void oneHostsExecutorExitingTwiceIsEnoughWhenItIsTheOnlyHost() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.LOCAL_IP);
        s.started("0", "10.0.0.3", at(0));
        s.exited("0", "Command exited with code 1");
        assertEquals(Optional.empty(), s.failure(at(2), DRIVER), "a single exit may be the host's own trouble");
        s.started("1", "10.0.0.3", at(2));
        s.exited("1", "Command exited with code 1");
        assertEquals(Optional.of("no executor reached the driver at 127.0.0.1:41234: the cluster started 2 executors "
                + "on 1 host and each exited before registering (Command exited with code 1); SPARK_LOCAL_IP chose "
                + "it: set SPARK_LOCAL_IP to an address of this machine that the executors' hosts reach, or unset it "
                + "for the address that routes to the master"), s.failure(at(3), DRIVER));
    }

    @Test
    void executorsThatNeverRegisterNorExitEndTheRunAfterTheSilence() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.RELUGRAD);
        s.started("0", "10.0.0.3", at(0));
        s.started("1", "10.0.0.4", at(1));
        double silent = ExecutorStartup.SILENT_SECONDS;
        assertEquals(Optional.empty(), s.failure(at(silent - 0.5), DRIVER));
        assertEquals(Optional.of("no executor reached the driver at 127.0.0.1:41234 within 45 s: the cluster started "
                + "2 on 2 hosts and none registered; it is this machine's address on the way to the master, which the "
                + "executors' hosts do not reach: set spark.driver.host to an address of this machine that the "
                + "executors' hosts reach (and spark.driver.bindAddress to one it can bind, if that differs)"),
                s.failure(at(silent), DRIVER));
    }

    @Test
    void oneRegisteredExecutorEndsTheWatchWhateverCameBeforeOrAfter() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.SPARK);
        s.started("0", "10.0.0.3", at(0));
        s.exited("0", "Command exited with code 1");
        s.started("1", "10.0.0.3", at(1));
        s.registered();
        s.exited("2", "Command exited with code 1");
        s.exited("3", "Command exited with code 1");
        assertEquals(Optional.empty(), s.failure(at(3600), DRIVER));
    }

    @Test
    void aLongReasonIsCutToItsFirstLineAndAFewWords() {
        String yarn = "Container from a bad node: container_1796620194038_0001_01_000003 on host: localhost. Exit "
                + "status: 1. Possible causes: Unknown executor exit code (1) Diagnostics: [2026-12-07 05:12:27.133]"
                + "Exception from container-launch.\nContainer id: container_1796620194038_0001_01_000003\nExit code: 1";
        assertEquals("Container from a bad node: container_1796620194038_0001_01_000003 on host: localhost. Exit "
                + "status: 1. Possible causes: Unknown executor exit code (1)...",
                ExecutorStartup.firstLine(yarn));
        assertEquals("Command exited with code 1", ExecutorStartup.firstLine("  Command exited with code 1\n"));
        assertEquals("", ExecutorStartup.firstLine(null));
    }

    @Test
    void aClusterThatStartsNoExecutorIsWaitedFor() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.RELUGRAD);
        assertEquals(Optional.empty(), s.failure(at(3600), DRIVER), "no free cores: Spark waits, and so does relugrad");
    }

    @Test
    void whereNoHostIsKnownThreeExitsEndTheRun() {
        ExecutorStartup s = new ExecutorStartup(DriverAddress.Source.BIND_ADDRESS);
        s.exited("1", "Container exited with a non-zero exit code 1");
        s.exited("2", "");
        assertEquals(Optional.empty(), s.failure(at(10), DRIVER));
        s.exited("3", "Container exited with a non-zero exit code 1");
        assertEquals(Optional.of("no executor reached the driver at 127.0.0.1:41234: 3 executors exited before "
                + "registering (Container exited with a non-zero exit code 1); set spark.driver.host to an address of "
                + "this machine that the executors' hosts reach (with spark.driver.bindAddress alone, the driver "
                + "tells the executors the address it binds to)"), s.failure(at(11), DRIVER));
    }
}
