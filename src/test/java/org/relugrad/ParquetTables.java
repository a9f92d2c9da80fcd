package org.relugrad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes X and Y as Parquet tables with parquet-hadoop's example writer, in every shape a reader must take: the
 * array or the scalar column layout, required or optional columns and elements, version 1 or 2 pages, dictionary
 * or plain values, several files of small row groups of smaller pages, rows stored in any order with a row
 * column. Hidden files (_SUCCESS, .crc) lie beside the parts, as Spark leaves them.
 */
public final class ParquetTables {
    /** How a table is laid out. */
    public record Shape(boolean arrays, boolean optional, boolean v2, boolean dictionary, int files, int groupRows,
                        int pageRows) {
        @Override
        public String toString() {
            return (arrays ? "arrays" : "scalars") + (optional ? " optional" : " required") + (v2 ? " v2" : " v1")
                    + (dictionary ? " dictionary" : " plain") + ", " + files + " files, groups of " + groupRows
                    + ", pages of " + pageRows;
        }
    }

    /** Fills one table row (the {@code stored}-th written, row number {@code number}) into {@code group}. */
    @FunctionalInterface
    public interface RowFiller {
        void fill(int stored, long number, Group group);
    }

    private ParquetTables() {
    }

    /** The schema of X (d wide) and Y (k wide) in {@code shape}, with a bigint column {@code row} first if asked. */
    public static MessageType schema(Shape shape, int d, int k, boolean withRow) {
        return schema(shape, d, k, withRow, "double", "double");
    }

    /** As {@link #schema(Shape, int, int, boolean)}, X's and Y's values of the types named ("double", "float"). */
    public static MessageType schema(Shape shape, int d, int k, boolean withRow, String xType, String yType) {
        String field = shape.optional() ? "optional" : "required";
        StringBuilder s = new StringBuilder("message table {");
        if (withRow) {
            s.append(" required int64 row;");
        }
        if (shape.arrays()) {
            for (String name : new String[] {"x", "y"}) {
                s.append(' ').append(field).append(" group ").append(name).append(" (LIST) { repeated group list { ")
                        .append(field).append(' ').append(name.equals("x") ? xType : yType).append(" element; } }");
            }
        } else {
            for (int c = 0; c < d; c++) {
                s.append(' ').append(field).append(' ').append(xType).append(" x").append(c).append(';');
            }
            for (int c = 0; c < k; c++) {
                s.append(' ').append(field).append(' ').append(yType).append(" y").append(c).append(';');
            }
        }
        return MessageTypeParser.parseMessageType(s.append(" }").toString());
    }

    /**
     * Writes the rows of X and Y numbered {@code order[0]}, {@code order[1]}, … in that order, as
     * {@code shape.files()} part files of {@code dir} (the first ones taking the extra rows).
     */
    public static Path write(Path dir, Matrix x, Matrix y, long[] order, boolean withRow, Shape shape) {
        return write(dir, schema(shape, x.cols(), y.cols(), withRow), order, shape,
                (stored, number, g) -> fillRow(g, shape, x, y, (int) number, withRow));
    }

    /** Writes {@code order.length} rows, each made by {@code filler}, in {@code schema}. */
    public static Path write(Path dir, MessageType schema, long[] order, Shape shape, RowFiller filler) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("_SUCCESS"), "");
            Files.writeString(dir.resolve(".part-00000.parquet.crc"), "not parquet");
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            int n = order.length;
            for (int f = 0; f < shape.files(); f++) {
                int from = (int) ((long) f * n / shape.files());
                int to = (int) ((long) (f + 1) * n / shape.files());
                try (ParquetWriter<Group> out = ExampleParquetWriter
                        .builder(new org.apache.hadoop.fs.Path(dir.resolve(String.format("part-%05d.parquet", f))
                                .toString()))
                        .withConf(new Configuration())
                        .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
                        .withType(schema)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withRowGroupRowCountLimit(shape.groupRows())
                        .withPageRowCountLimit(shape.pageRows())
                        .withDictionaryEncoding(shape.dictionary())
                        .withWriterVersion(shape.v2() ? ParquetProperties.WriterVersion.PARQUET_2_0
                                : ParquetProperties.WriterVersion.PARQUET_1_0)
                        .build()) {
                    for (int i = from; i < to; i++) {
                        Group g = groups.newGroup();
                        filler.fill(i, order[i], g);
                        out.write(g);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link #write(Path, Matrix, Matrix, long[], boolean, Shape)}, X's values as float32 where {@code xFloat}
     * (and Y's where {@code yFloat}): each value must then be a float32 value, written as that float.
     */
    public static Path write(Path dir, Matrix x, Matrix y, long[] order, boolean withRow, Shape shape, boolean xFloat,
                             boolean yFloat) {
        MessageType schema = schema(shape, x.cols(), y.cols(), withRow, xFloat ? "float" : "double",
                yFloat ? "float" : "double");
        return write(dir, schema, order, shape, (stored, number, g) -> {
            int r = (int) number;
            if (withRow) {
                g.add("row", (long) r);
            }
            for (int m = 0; m < 2; m++) {
                Matrix values = m == 0 ? x : y;
                boolean asFloat = m == 0 ? xFloat : yFloat;
                String name = m == 0 ? "x" : "y";
                Group list = shape.arrays() ? g.addGroup(name) : null;
                for (int c = 0; c < values.cols(); c++) {
                    double v = values.get(r, c);
                    if (asFloat && Double.compare((float) v, v) != 0) {
                        throw new IllegalArgumentException(v + " is not a float32 value");
                    }
                    Group to = list != null ? list.addGroup("list") : g;
                    String field = list != null ? "element" : name + c;
                    if (asFloat) {
                        to.add(field, (float) v);
                    } else {
                        to.add(field, v);
                    }
                }
            }
        });
    }

    /** Row {@code r} of X and Y into {@code g}, as {@code shape} lays it out. */
    public static void fillRow(Group g, Shape shape, Matrix x, Matrix y, int r, boolean withRow) {
        if (withRow) {
            g.add("row", (long) r);
        }
        if (shape.arrays()) {
            addList(g.addGroup("x"), x, r);
            addList(g.addGroup("y"), y, r);
        } else {
            for (int c = 0; c < x.cols(); c++) {
                g.add("x" + c, x.get(r, c));
            }
            for (int c = 0; c < y.cols(); c++) {
                g.add("y" + c, y.get(r, c));
            }
        }
    }

    /** Row r of m as the elements of a list group. */
    public static void addList(Group list, Matrix m, int r) {
        for (int c = 0; c < m.cols(); c++) {
            list.addGroup("list").add("element", m.get(r, c));
        }
    }

    /** 0, 1, …, n−1. */
    public static long[] inOrder(int n) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** 0 … n−1 in a fixed shuffled order (a seeded Fisher–Yates shuffle). */
    public static long[] shuffled(int n, long seed) {
        long[] order = inOrder(n);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
