package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.HadoopConf;
import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.TextFile;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Builds the {@link LineIndex} of text inputs: cuts each file into splits and counts every split's lines in a task
 * of its own. A split owns the lines that start inside it, as Hadoop's text reader has it: the first split of a
 * file from its first byte on, every later split from the first line start after its first byte, up to and
 * including a line that starts at its last byte + 1. A compressed file is one split (a .gz cannot be entered in
 * the middle), read from its start.
 */
final class LineCounting {
    /** The bytes of a split: a task that starts reading inside one skips at most this much to find its row. */
    static final long SPLIT_BYTES = 32L << 20;
    private static final int BUFFER_BYTES = 1 << 18;

    private LineCounting() {
    }

    /** One split to count: of input {@code input}, in file {@code path}, bytes {@code [start, start + length)}. */
    private record Piece(int input, String path, String file, long start, long length, boolean compressed)
            implements Serializable {
    }

    /**
     * What counting one split found: its lines and which of them (0-based) is the first blank one, -1 for none; or
     * why it could not be read.
     */
    private record Counted(long lines, long firstBlank, String error) implements Serializable {
    }

    /** @throws InputException when an input does not exist, holds no data, or cannot be read to its end */
    static List<LineIndex> count(List<String> names, Configuration conf, ParallelWork work, long splitBytes) {
        CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (TextFile file : HadoopFiles.listText(names.get(i), conf)) {
                boolean compressed = codecs.getCodec(new Path(file.path())) != null;
                long step = compressed || file.bytes() == 0 ? Math.max(1, file.bytes()) : splitBytes;
                for (long start = 0; start == 0 || start < file.bytes(); start += step) {
                    pieces.add(new Piece(i, file.path(), file.name(), start, Math.min(step, file.bytes() - start),
                            compressed));
                }
            }
        }
        HadoopConf shared = new HadoopConf(conf);
        List<Counted> counts = work.map(pieces, piece -> countLines(piece, shared.get()));
        List<LineIndex> indexes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<LineIndex.Split> splits = new ArrayList<>();
            long row = 0;
            long line = 1;
            for (int p = 0; p < pieces.size(); p++) {
                Piece piece = pieces.get(p);
                Counted counted = counts.get(p);
                if (piece.input() != i) {
                    continue;
                }
                if (counted.error() != null) {
                    throw new InputException(piece.file(), 0, "cannot be read: " + counted.error());
                }
                line = piece.start() == 0 ? 1 : line;
                splits.add(new LineIndex.Split(piece.path(), piece.file(), piece.start(), piece.length(),
                        piece.compressed(), row, line, counted.lines(),
                        counted.firstBlank() < 0 ? 0 : line + counted.firstBlank()));
                row += counted.lines();
                line += counted.lines();
            }
            indexes.add(new LineIndex(names.get(i), splits));
        }
        return indexes;
    }

    /** Inside a task: counts the lines a split owns. A file that breaks off (a truncated .gz) is an error value. */
    private static Counted countLines(Piece piece, Configuration conf) {
        long end = piece.start() + piece.length();
        try (ByteLines lines = open(piece.path(), piece.start(), piece.compressed(), conf)) {
            if (piece.start() > 0) {
                lines.next();
            }
            long n = 0;
            long firstBlank = -1;
            while ((piece.compressed() || lines.position() <= end) && lines.next()) {
                if (firstBlank < 0 && isBlank(lines.bytes(), lines.start(), lines.end())) {
                    firstBlank = n;
                }
                n++;
            }
            return new Counted(n, firstBlank, null);
        } catch (IOException | RuntimeException e) {
            return new Counted(0, -1, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    /** Whether a line holds nothing but spaces and control characters (mostly it is empty or starts with a digit). */
    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((bytes[i] & 0xFF) > ' ') {
                return false;
            }
        }
        return true;
    }

    /** The lines of a file from byte {@code start} on (from its start, decompressed, when it is compressed). */
    static ByteLines open(String path, long start, boolean compressed, Configuration conf) throws IOException {
        Path file = new Path(path);
        FSDataInputStream in = HadoopFiles.fileSystem(file, conf).open(file);
        try {
            if (compressed) {
                CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
                return new ByteLines(codec.createInputStream(in), 0, BUFFER_BYTES);
            }
            in.seek(start);
            return new ByteLines(in, start, BUFFER_BYTES);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
