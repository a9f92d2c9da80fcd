package org.relugrad.internal.io.npy;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Doubles to little-endian float64 bytes, a buffer at a time: the data of a .npy file. */
final class NpyValues {
    private NpyValues() {
    }

    /** Where the bytes go: {@code bytes[0 .. length)} of a heap buffer, in order. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Writes {@code values[0 .. count)} through {@code buffer} (little-endian, heap-backed) to {@code sink}. */
    static void write(double[] values, int count, ByteBuffer buffer, Sink sink) throws IOException {
        int perChunk = buffer.capacity() / Double.BYTES;
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, perChunk);
            buffer.clear();
            buffer.asDoubleBuffer().put(values, done, n);
            sink.write(buffer.array(), 0, n * Double.BYTES);
            done += n;
        }
    }
}
