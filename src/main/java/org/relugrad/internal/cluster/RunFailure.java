package org.relugrad.internal.cluster;

/**
 * A failure of the run itself, not of its input, that relugrad understands (no master answers, executors that
 * cannot reach the driver, an executor lost past Spark's retries, a timeout, a full disk): its message is one line
 * that says what happened and what to do.
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure Spark reported in its own words, said in relugrad's; null for one relugrad does not know. A run the
     * executor watch ended, or whose master ended it, failed for that reason, whatever Spark threw after.
     */
    public static RunFailure explain(Throwable failure) {
        RunFailure explained = ExecutorWatch.explain(failure);
        if (explained == null) {
            explained = LostExecutor.explain(failure);
        }
        if (explained == null) {
            explained = SparkTimeouts.explain(failure);
        }
        return explained;
    }
}
