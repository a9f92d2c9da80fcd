package org.relugrad.internal.io;

import java.io.IOException;

/**
 * Whether a failure is a write that found its disk full (or the user's quota used up). Hadoop's local file system
 * reports it as an FSError, an Error, around the IOException; other file systems as the IOException alone.
 */
public final class DiskFull {
    private DiskFull() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null
                    && (t.getMessage().contains("No space left on device")
                        || t.getMessage().contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
