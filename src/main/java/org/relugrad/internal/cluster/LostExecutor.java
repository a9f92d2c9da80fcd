package org.relugrad.internal.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job that Spark gave up on because executors were lost while they ran one of its tasks, more times than
 * spark.task.maxFailures allows: read from the message Spark aborts the job with, which is all it hands back.
 */
final class LostExecutor {
    private static final Pattern ABORTED = Pattern.compile("Job aborted due to stage failure: Task \\d+ in stage \\S+ "
            + "failed (\\d+) times?, most recent failure: Lost task \\S+ in stage \\S+ \\(TID \\d+\\) \\((\\S+) executor "
            + "(\\S+)\\): ExecutorLostFailure \\([^)]*\\)(?: Reason: ([^\\n]*))?");

    private LostExecutor() {
    }

    /** The failure said in relugrad's words, or null when {@code failure} is not a job aborted for lost executors. */
    static RunFailure explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = t.getMessage() == null ? null : ABORTED.matcher(t.getMessage());
            if (m != null && m.find()) {
                String reason = m.group(4) == null ? "" : " (" + m.group(4).trim() + ")";
                return new RunFailure("executor " + m.group(3) + " on " + m.group(2) + " was lost while it ran a task"
                        + reason + ", and the task has now failed " + m.group(1) + " time" + (m.group(1).equals("1")
                        ? "" : "s") + ", as many as spark.task.maxFailures allows; nothing was kept: run again, and "
                        + "if executors keep ending, give them more memory (--executor-memory) or read the workers' logs",
                        failure);
            }
        }
        return null;
    }
}
