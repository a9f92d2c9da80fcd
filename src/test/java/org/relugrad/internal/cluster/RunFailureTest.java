package org.relugrad.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Failures of a run said in relugrad's words: a master that does not answer, executors lost past the retries. */
class RunFailureTest {
    /** The message Spark 4.2 aborted a job with on the local cluster, when an executor was killed with SIGKILL. */
    private static final String ABORTED = "Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most "
            + "recent failure: Lost task 1.3 in stage 0.0 (TID 7) (10.0.0.7 executor 3): ExecutorLostFailure "
            + "(executor 3 exited caused by one of the running tasks) Reason: Command exited with code 137\n"
            + "Driver stacktrace:";

    @Test
    void aJobAbortedForLostExecutorsNamesTheExecutorTheReasonAndTheRetries() {
        RunFailure failure = RunFailure.explain(new RuntimeException("wrapped", new SparkException(ABORTED)));
        assertEquals("executor 3 on 10.0.0.7 was lost while it ran a task (Command exited with code 137), and the "
                + "task has now failed 4 times, as many as spark.task.maxFailures allows; nothing was kept: run "
                + "again, and if executors keep ending, give them more memory (--executor-memory) or read the "
                + "workers' logs", failure.getMessage());
    }

    @Test
    void otherFailuresAreNotExplained() {
        assertNull(RunFailure.explain(new SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 "
                + "failed 1 times, most recent failure: Lost task 0.0 in stage 1.0 (TID 1) (localhost executor "
                + "driver): java.lang.ArithmeticException: / by zero")));
        assertNull(RunFailure.explain(new IllegalStateException((String) null)));
    }

    @Test
    void aMasterThatAcceptsNoConnectionIsNamedWithTheReason() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        RunFailure failure = assertThrows(RunFailure.class, () -> MasterProbe.requireAnswer(master));
        assertEquals("no Spark master answers at " + master + " (connection refused at 127.0.0.1:" + port
                + "); start it, or give --master the address of one that runs", failure.getMessage());
    }

    @Test
    void aMasterThatListensPassesAndOtherMastersAreNotAsked() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MasterProbe.requireAnswer("spark://127.0.0.1:1,127.0.0.1:" + socket.getLocalPort());
        }
        MasterProbe.requireAnswer("local[2]");
        MasterProbe.requireAnswer("yarn");
    }
}
