package org.relugrad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a float64 C-order .npy file the way np.load does, with a parser of its own (not the code under test):
 * magic, version, header length, the dict's shape, then the values.
 */
public final class NpyFile {
    /** A 2-D shape (rows, cols), or a 1-D one (k,), read as 1 × k. */
    private static final Pattern SHAPE = Pattern.compile("'shape': \\((\\d+),\\s*(\\d*)\\)");

    private NpyFile() {
    }

    public static Matrix read(Path file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            bytes.get(magic);
            if (!new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY") || (magic[0] & 0xff) != 0x93) {
                throw new AssertionError(file + ": not .npy");
            }
            int major = bytes.get();
            bytes.get();
            int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
            byte[] header = new byte[headerLength];
            bytes.get(header);
            String dict = new String(header, StandardCharsets.ISO_8859_1);
            if (!dict.contains("'descr': '<f8'") || !dict.contains("'fortran_order': False")) {
                throw new AssertionError(file + ": not float64 C order: " + dict);
            }
            if ((bytes.position()) % 64 != 0) {
                throw new AssertionError(file + ": data not 64-byte aligned");
            }
            Matcher m = SHAPE.matcher(dict);
            if (!m.find()) {
                throw new AssertionError(file + ": no 2-D shape: " + dict);
            }
            boolean vector = m.group(2).isEmpty();
            int rows = vector ? 1 : Integer.parseInt(m.group(1));
            int cols = Integer.parseInt(vector ? m.group(1) : m.group(2));
            if (bytes.remaining() != (long) rows * cols * 8) {
                throw new AssertionError(file + ": " + bytes.remaining() + " data bytes for " + rows + "x" + cols);
            }
            double[] values = new double[rows * cols];
            bytes.asDoubleBuffer().get(values);
            return new Matrix(rows, cols, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code m} as np.save would: format 1.0, '<f8', C order, the header padded to 64 bytes. */
    public static void write(Path file, Matrix m) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer bytes = ByteBuffer.allocate(10 + header.length() + m.values().length * 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        bytes.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        bytes.asDoubleBuffer().put(m.values());
        try {
            Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code values} (rows × cols, row-major) as np.save writes a float32 matrix: '<f4', C order. */
    public static void writeFloat32(Path file, int rows, int cols, float[] values) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer bytes = ByteBuffer.allocate(10 + header.length() + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        bytes.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        bytes.asFloatBuffer().put(values);
        try {
            Files.write(file, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parts DIR/{tensor}/part-*.npy read in name order and stacked, as np.concatenate would. */
    public static Matrix stackParts(Path dir, String tensor) {
        try (Stream<Path> files = Files.list(dir.resolve(tensor))) {
            List<Matrix> parts = files.sorted().map(NpyFile::read).toList();
            int cols = parts.get(0).cols();
            int rows = parts.stream().mapToInt(Matrix::rows).sum();
            double[] values = new double[rows * cols];
            int at = 0;
            for (Matrix part : parts) {
                System.arraycopy(part.values(), 0, values, at, part.values().length);
                at += part.values().length;
            }
            return new Matrix(rows, cols, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
