package org.relugrad.internal.fit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Everything a training needs to go on after iteration {@code iteration} exactly as it would have: the settings, W,
 * the objective and its gradient at W, the objective at W0 (the stopping tests compare with it), L-BFGS's remembered
 * steps and gradient changes (newest first), the stopping tests' own memory (per test: its remembered objective
 * values, or null for a test that remembers nothing), and the histories so far. Only iterations that took a step are
 * recorded, so the line search's failure flag (false for all of them) is not part of it.
 *
 * <p>{@link #encode} gives it as bytes, every double as its 64 bits: a resumed training starts from the same bits.
 */
public record TrainingState(FitSettings settings, int d, int k, int iteration, double[] w, double value,
                            double[] gradient, double initialValue, List<double[]> steps,
                            List<double[]> gradientDeltas, List<double[]> convergenceInfo, double[] lossHistory,
                            double[] gradientNormHistory) {
    private static final long MAGIC = 0x72656c7567726164L; // "relugrad"
    private static final int VERSION = 1;

    /** W as a d × k matrix (a copy). */
    public org.relugrad.Matrix wMatrix() {
        return new org.relugrad.Matrix(d, k, w.clone());
    }

    /** The bytes of this state, ending with a CRC-32 of the rest. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(settings.maxIterations());
            out.writeDouble(settings.tolerance());
            out.writeDouble(settings.l2());
            out.writeInt(settings.memory());
            out.writeInt(d);
            out.writeInt(k);
            out.writeInt(iteration);
            writeArray(out, w);
            out.writeDouble(value);
            writeArray(out, gradient);
            out.writeDouble(initialValue);
            writeList(out, steps);
            writeList(out, gradientDeltas);
            writeList(out, convergenceInfo);
            writeArray(out, lossHistory);
            writeArray(out, gradientNormHistory);
            CRC32 crc = new CRC32();
            out.flush();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The state {@link #encode} gave these bytes for.
     *
     * @throws IllegalArgumentException for bytes that are not a whole state of this version
     */
    public static TrainingState decode(byte[] bytes) {
        if (bytes.length < 8 + 4 + 8) {
            throw new IllegalArgumentException("is not a relugrad fit checkpoint (too short)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readLong() != MAGIC) {
                throw new IllegalArgumentException("is not a relugrad fit checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("is a fit checkpoint of version " + version + "; this relugrad reads "
                        + VERSION);
            }
            long expected = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
            if (expected != crc.getValue()) {
                throw new IllegalArgumentException("is damaged (its checksum does not match)");
            }
            FitSettings settings = new FitSettings(in.readInt(), in.readDouble(), in.readDouble(), in.readInt());
            return new TrainingState(settings, in.readInt(), in.readInt(), in.readInt(), readArray(in),
                    in.readDouble(), readArray(in), in.readDouble(), readList(in), readList(in), readList(in),
                    readArray(in), readArray(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("is truncated", e);
        }
    }

    /** This state after one more iteration, at {@code next}'s point, with f and the gradient's norm there. */
    TrainingState then(TrainingState next, double loss, double gradientNorm) {
        return new TrainingState(next.settings, d, k, next.iteration, next.w, next.value, next.gradient,
                next.initialValue, next.steps, next.gradientDeltas, next.convergenceInfo, append(lossHistory, loss),
                append(gradientNormHistory, gradientNorm));
    }

    private static double[] append(double[] history, double value) {
        double[] longer = Arrays.copyOf(history, history.length + 1);
        longer[history.length] = value;
        return longer;
    }

    private static void writeArray(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < -1) {
            throw new IOException("negative length");
        }
        if (length == -1) {
            return null;
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        return values;
    }

    private static void writeList(DataOutputStream out, List<double[]> list) throws IOException {
        out.writeInt(list.size());
        for (double[] values : list) {
            writeArray(out, values);
        }
    }

    private static List<double[]> readList(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("negative length");
        }
        List<double[]> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(readArray(in));
        }
        return list;
    }
}
