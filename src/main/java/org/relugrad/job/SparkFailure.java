package org.relugrad.job;

/**
 * A failure of the run itself, not of its input, that relugrad understands (no master answers, an executor lost
 * past Spark's retries): its message is one line that says what happened and what to do.
 */
public final class SparkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SparkFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
