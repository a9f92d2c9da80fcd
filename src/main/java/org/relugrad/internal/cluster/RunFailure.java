package org.relugrad.internal.cluster;

/**
 * A failure of the run itself, not of its input, that relugrad understands (no master answers, an executor lost
 * past Spark's retries, a full disk): its message is one line that says what happened and what to do.
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure Spark reported in its own words, said in relugrad's; null for one relugrad does not know. */
    public static RunFailure explain(Throwable failure) {
        return LostExecutor.explain(failure);
    }
}
