package org.relugrad.internal.io.parquet;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * The buffers one task reads row groups into, handed back when a row group is done and reused for the next one
 * (Parquet reads a column chunk in pieces of one fixed size, so most pieces fit again): a task that reads many row
 * groups then holds about one row group's bytes, instead of leaving a row group of garbage behind each time.
 */
final class ParquetBuffers implements ByteBufferAllocator {
    private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();

    @Override
    public ByteBuffer allocate(int size) {
        ArrayDeque<ByteBuffer> same = free.get(size);
        ByteBuffer buffer = same == null ? null : same.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocate(size);
    }

    @Override
    public void release(ByteBuffer buffer) {
        free.computeIfAbsent(buffer.capacity(), c -> new ArrayDeque<>()).push(buffer);
    }

    @Override
    public boolean isDirect() {
        return false;
    }
}
