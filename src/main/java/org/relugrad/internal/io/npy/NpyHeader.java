package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy .npy file holding a 2-D float64 or float32 matrix in C (row-major) order, little-endian:
 * the magic {@code \x93NUMPY}, the format version (1.0, 2.0 or 3.0), the header's length (2 bytes in 1.0, 4 in 2.0
 * and 3.0) and a Python dict literal such as {@code {'descr': '<f8', 'fortran_order': False, 'shape': (10, 4), }},
 * padded so the data starts on a 64-byte boundary. Row r starts at {@code dataOffset + r·cols·itemBytes}.
 *
 * @param file the file as the user named it, for errors
 * @param float32 whether the values are float32 (widened exactly to float64 on reading) rather than float64
 * @param dataOffset where the first value starts, in bytes from the start of the file
 */
public record NpyHeader(String file, boolean float32, long rows, int cols, long dataOffset) implements Serializable {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(?:['\"]([^'\"]*)['\"]|(\\[))");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** Bytes per value: 4 for float32, 8 for float64. */
    public int itemBytes() {
        return float32 ? 4 : 8;
    }

    /** Bytes of data the shape calls for. */
    public long dataBytes() {
        return rows * cols * itemBytes();
    }

    /** {@code 10 x 4 float64}, for messages. */
    public String shapeText() {
        return rows + " x " + cols + (float32 ? " float32" : " float64");
    }

    /**
     * Reads and checks the header at the start of {@code in}.
     *
     * @throws InputException naming {@code file} when it is not a .npy file or not a 2-D little-endian float64 or
     *     float32 matrix in C order
     */
    public static NpyHeader read(InputStream in, String file) throws IOException {
        return read(in, file, false, false);
    }

    /**
     * As {@link #read(InputStream, String)}; where {@code vector}, a 1-D array of shape (k,) is taken too, as the
     * 1 × k matrix it is in C order (a bias, as {@code torch.nn.Linear.bias.numpy()} saves it); where {@code
     * noRows}, a matrix of no rows is taken too (a part of relugrad's output whose partition had none).
     */
    public static NpyHeader read(InputStream in, String file, boolean vector, boolean noRows) throws IOException {
        byte[] preamble = new byte[8];
        if (readUpTo(in, preamble) < preamble.length || !startsWithMagic(preamble)) {
            throw new InputException(file, 0, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = preamble[6] & 0xff;
        int minor = preamble[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new InputException(file, 0, ".npy format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        byte[] size = new byte[major == 1 ? 2 : 4];
        if (readUpTo(in, size) < size.length) {
            throw truncatedHeader(file);
        }
        long headerLength = (size[0] & 0xff) | (size[1] & 0xff) << 8;
        if (major > 1) {
            headerLength |= (long) (size[2] & 0xff) << 16 | (long) (size[3] & 0xff) << 24;
        }
        if (headerLength > 1 << 24) {
            throw new InputException(file, 0, "the .npy header claims " + headerLength + " bytes: not a .npy file");
        }
        byte[] header = new byte[(int) headerLength];
        if (readUpTo(in, header) < header.length) {
            throw truncatedHeader(file);
        }
        String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(dict, file, preamble.length + size.length + headerLength, vector, noRows);
    }

    private static NpyHeader parse(String dict, String file, long dataOffset, boolean vector, boolean noRows) {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new InputException(file, 0, "the .npy header lacks 'descr', 'fortran_order' or 'shape': "
                    + dict.strip());
        }
        if (descr.group(2) != null) {
            throw new InputException(file, 0, "holds a structured array; relugrad reads a 2-D float64 or float32 "
                    + "matrix");
        }
        String type = descr.group(1);
        boolean float32 = type.equals("<f4");
        if (!float32 && !type.equals("<f8")) {
            String why = type.equals(">f8") || type.equals(">f4") ? "is big-endian ('" + type + "')"
                    : "has dtype '" + type + "'";
            throw new InputException(file, 0, why + "; relugrad reads little-endian float64 ('<f8') or float32 "
                    + "('<f4'): save it with arr.astype('<f8')");
        }
        if (fortran.group(1).equals("True")) {
            throw new InputException(file, 0, "is in Fortran (column-major) order; relugrad reads C order: save "
                    + "it with np.ascontiguousarray(arr)");
        }
        long[] dims = dimensions(shape.group(1), file);
        if (vector && dims.length == 1) {
            dims = new long[] {1, dims[0]};
        }
        if (dims.length != 2) {
            throw new InputException(file, 0, "has " + dims.length + " dimensions, shape (" + shape.group(1).strip()
                    + "); relugrad reads 2-D matrices (rows x columns)");
        }
        if (dims[0] < (noRows ? 0 : 1) || dims[1] < 1) {
            throw new InputException(file, 0, "is empty, shape (" + dims[0] + ", " + dims[1] + ")");
        }
        if (dims[1] > Integer.MAX_VALUE - 8 || dims[0] > Long.MAX_VALUE / 8 / dims[1]) {
            throw new InputException(file, 0, "shape (" + dims[0] + ", " + dims[1] + ") is too large");
        }
        return new NpyHeader(file, float32, dims[0], (int) dims[1], dataOffset);
    }

    private static long[] dimensions(String tuple, String file) {
        String[] parts = tuple.split(",");
        int count = parts.length;
        if (count > 0 && parts[count - 1].isBlank()) {
            count--;
        }
        long[] dims = new long[count];
        for (int i = 0; i < count; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new InputException(file, 0, "the .npy header's shape (" + tuple + ") is not a tuple of "
                        + "integers");
            }
        }
        return dims;
    }

    /**
     * The bytes of a version 1.0 header for a float64 rows × cols matrix in C order, padded with spaces and ended
     * by a newline so the data starts on a 64-byte boundary, as {@code np.save} writes it.
     */
    public static byte[] float64(long rows, int cols) {
        return float64Header("(" + rows + ", " + cols + ")");
    }

    /** As {@link #float64(long, int)}, for a 1-D array of {@code length} values (a bias's gradient, as PyTorch's). */
    public static byte[] float64Vector(int length) {
        return float64Header("(" + length + ",)");
    }

    private static byte[] float64Header(String shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
        int headerLength = total - MAGIC.length - 4;
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, out, 10, text.length);
        for (int i = 10 + text.length; i < total - 1; i++) {
            out[i] = ' ';
        }
        out[total - 1] = '\n';
        return out;
    }

    private static boolean startsWithMagic(byte[] preamble) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (preamble[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static InputException truncatedHeader(String file) {
        return new InputException(file, 0, "truncated: the file ends inside its .npy header");
    }

    private static int readUpTo(InputStream in, byte[] buffer) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            int got = in.read(buffer, read, buffer.length - read);
            if (got < 0) {
                return read;
            }
            read += got;
        }
        return read;
    }
}
