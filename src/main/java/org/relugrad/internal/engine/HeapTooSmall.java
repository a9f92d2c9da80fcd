package org.relugrad.internal.engine;

import java.util.Locale;

/**
 * A pass that cannot fit the heap it would run in, said before it starts: how much it needs, for what, and how much
 * there is. {@code cli/} adds the option that raises it.
 */
public final class HeapTooSmall extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the JVM and Spark keep for themselves in any heap (Spark's reserved memory). */
    private static final long RESERVED = 300L << 20;

    private final long neededBytes;
    private final boolean driver;
    private final boolean blocks;

    /**
     * @param what what needs the heap, in the problem's words
     * @param blocks whether fewer rows per block would help
     */
    private HeapTooSmall(String what, long neededBytes, long heapBytes, boolean driver, boolean blocks) {
        super(what + " needs about " + gigabytes(neededBytes) + " of heap, but " + (driver ? "the driver" : "an executor")
                + " has " + gigabytes(heapBytes));
        this.neededBytes = neededBytes;
        this.driver = driver;
        this.blocks = blocks;
    }

    /** Whether fewer rows per block would make it fit too. */
    public boolean blocks() {
        return blocks;
    }

    /**
     * @param neededBytes what {@code what} needs, beside what the JVM and Spark keep for themselves
     * @param heapBytes the heap there is
     * @throws HeapTooSmall when the two do not fit {@code heapBytes}
     */
    public static void require(String what, long neededBytes, long heapBytes, boolean driver, boolean blocks) {
        if (neededBytes + RESERVED > heapBytes) {
            throw new HeapTooSmall(what, neededBytes + RESERVED, heapBytes, driver, blocks);
        }
    }

    /** The heap that would fit the pass, in bytes. */
    public long neededBytes() {
        return neededBytes;
    }

    /** Whether the driver's heap is short (in local mode it runs the tasks too), rather than the executors'. */
    public boolean driver() {
        return driver;
    }

    static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
