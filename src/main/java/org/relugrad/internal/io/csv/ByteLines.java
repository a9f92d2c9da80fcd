package org.relugrad.internal.io.csv;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The lines of a byte stream, each a range of one buffer, ended as Hadoop's text reader ends them: by "\n", by
 * "\r\n" or by a lone "\r"; a last line without an end counts. Bytes rather than Strings, so that the caller
 * parses each line where it lies.
 */
final class ByteLines implements AutoCloseable {
    /** A longer line is refused rather than held: no matrix row is a gigabyte of text. */
    private static final int MAX_BUFFER = 1 << 30;

    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private byte[] buffer;
    /** The stream position of {@code buffer[0]}. */
    private long origin;
    /** The first byte not yet returned as part of a line. */
    private int next;
    /** The end of the bytes read into the buffer. */
    private int limit;
    private boolean ended;
    private int lineStart;
    private int lineEnd;

    /** @param position the stream position of the first byte {@code in} will give, for {@link #position} */
    ByteLines(InputStream in, long position, int bufferBytes) {
        this.in = in;
        this.origin = position;
        this.buffer = new byte[bufferBytes];
    }

    /**
     * Reads the next line, then in {@link #bytes} from {@link #start} to {@link #end} (its end not included).
     *
     * @return false at the end of the stream
     */
    boolean next() throws IOException {
        int scanned = 0;
        while (true) {
            int p = next + scanned;
            for (; p + 8 <= limit; p += 8) {
                long ends = lineEnds((long) EIGHT_BYTES.get(buffer, p));
                if (ends != 0) {
                    p += Long.numberOfTrailingZeros(ends) >>> 3;
                    break;
                }
            }
            while (p < limit && buffer[p] != '\n' && buffer[p] != '\r') {
                p++;
            }
            scanned = p - next;
            if (p == limit) {
                if (!fill()) {
                    return scanned > 0 && take(limit, limit);
                }
                continue;
            }
            if (buffer[p] == '\r' && p + 1 == limit) {
                boolean more = fill();
                p = next + scanned;
                if (more) {
                    continue;
                }
            }
            boolean crlf = buffer[p] == '\r' && p + 1 < limit && buffer[p + 1] == '\n';
            return take(p, crlf ? p + 2 : p + 1);
        }
    }

    /**
     * The top bit of each byte of {@code word} that is "\n" or "\r", and maybe of bytes after the first such:
     * the lowest bit set marks the first (the classic test for a zero byte, of word XOR the byte).
     */
    private static long lineEnds(long word) {
        long lf = word ^ 0x0A0A_0A0A_0A0A_0A0AL;
        long cr = word ^ 0x0D0D_0D0D_0D0D_0D0DL;
        return ((lf - 0x0101_0101_0101_0101L) & ~lf | (cr - 0x0101_0101_0101_0101L) & ~cr) & 0x8080_8080_8080_8080L;
    }

    private boolean take(int end, int after) {
        lineStart = next;
        lineEnd = end;
        next = after;
        return true;
    }

    /** Moves the unread bytes to the buffer's start and reads more after them; false when the stream has ended. */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        if (next > 0) {
            System.arraycopy(buffer, next, buffer, 0, limit - next);
            origin += next;
            limit -= next;
            next = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= MAX_BUFFER) {
                throw new IOException("a line longer than " + MAX_BUFFER + " bytes");
            }
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            ended = true;
            return false;
        }
        limit += read;
        return true;
    }

    /** The stream position where the next line starts. */
    long position() {
        return origin + next;
    }

    byte[] bytes() {
        return buffer;
    }

    int start() {
        return lineStart;
    }

    int end() {
        return lineEnd;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
