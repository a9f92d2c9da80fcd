package org.relugrad.internal.io.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * Decodes a page's repetition or definition levels, stored in Parquet's RLE / bit-packing hybrid, a run at a time:
 * a repeated run is one fill, a bit-packed run is unpacked eight values at a time. Levels are most of the work of
 * reading a list column value by value; in runs they cost little.
 */
final class ParquetLevels {
    private ParquetLevels() {
    }

    /** Decodes {@code n} levels of {@code bitWidth} bits from {@code in} (from its position to its limit). */
    static void decode(ByteBuffer in, int bitWidth, int[] dest, int n) throws IOException {
        BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
        int valueBytes = (bitWidth + 7) / 8;
        int[] eight = new int[8];
        int at = in.position();
        int end = in.limit();
        int done = 0;
        while (done < n) {
            if (at >= end) {
                throw new IOException("the levels end after " + done + " of " + n + " values");
            }
            int header = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.get(at++) & 0xff;
                header |= (b & 0x7f) << shift;
                if (b < 0x80) {
                    break;
                }
            }
            if ((header & 1) == 0) {
                int value = 0;
                for (int i = 0; i < valueBytes; i++) {
                    value |= (in.get(at++) & 0xff) << (8 * i);
                }
                int count = Math.min(header >>> 1, n - done);
                java.util.Arrays.fill(dest, done, done + count, value);
                done += count;
            } else {
                int groups = header >>> 1;
                if (at + groups * bitWidth > end) {
                    throw new IOException("the levels end inside a bit-packed run");
                }
                for (int g = 0; g < groups && done < n; g++, at += bitWidth) {
                    if (done + 8 <= n) {
                        packer.unpack8Values(in, at, dest, done);
                        done += 8;
                    } else {
                        // The last group is padded beyond the page's values.
                        packer.unpack8Values(in, at, eight, 0);
                        System.arraycopy(eight, 0, dest, done, n - done);
                        done = n;
                    }
                }
            }
        }
    }
}
