package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Where X's and Y's values (and the row column) are in one Parquet file: the columns {@code x} and {@code y} of
 * type array&lt;double&gt;, or {@code x0 … x{d-1}} and {@code y0 … y{k-1}} of type double, as Spark SQL names the
 * Parquet types (a list of doubles in any of the layouts Spark reads, required or optional, elements too); float
 * (float32) in place of double anywhere. Made from a file's schema, on the driver to check it and in each task to
 * find the columns to read.
 */
final class ParquetColumns {
    /** One leaf column holding values of X or Y. */
    record Column(ColumnDescriptor descriptor, String name, boolean ofY, int first, boolean array, int nullDef,
                  int listDef) {
    }

    final List<Column> values;
    /** The row column's leaf, or null. */
    final ColumnDescriptor row;
    final boolean arrays;
    /** Whether every column of X and Y holds float32 values, which the blocks can then keep as float32. */
    final boolean float32;

    /**
     * @param table the table as the user named it, and {@code wFile} W's file, for errors
     * @throws InputException when the columns are missing or of another type, listing the table's schema
     */
    ParquetColumns(MessageType schema, int d, int k, String rowColumn, String table, String wFile) {
        List<String> names = schema.getFields().stream().map(Type::getName).toList();
        this.arrays = names.containsAll(List.of("x", "y"));
        this.values = new ArrayList<>();
        if (arrays) {
            values.add(column(schema, "x", false, 0, d, k, table, wFile));
            values.add(column(schema, "y", true, 0, d, k, table, wFile));
        } else {
            for (int c = 0; c < d; c++) {
                values.add(column(schema, "x" + c, false, c, d, k, table, wFile));
            }
            for (int c = 0; c < k; c++) {
                values.add(column(schema, "y" + c, true, c, d, k, table, wFile));
            }
        }
        this.row = rowColumn == null ? null : rowColumn(schema, rowColumn, table);
        this.float32 = values.stream().allMatch(c -> c.descriptor().getPrimitiveType().getPrimitiveTypeName()
                == PrimitiveType.PrimitiveTypeName.FLOAT);
    }

    /** All the leaves to read, the row column first. */
    List<ColumnDescriptor> descriptors() {
        List<ColumnDescriptor> all = new ArrayList<>();
        if (row != null) {
            all.add(row);
        }
        values.forEach(c -> all.add(c.descriptor()));
        return all;
    }

    private Column column(MessageType schema, String name, boolean ofY, int first, int d, int k, String table,
                          String wFile) {
        Type field = schema.containsField(name) ? schema.getType(name) : null;
        String found = field == null ? null : sqlType(field);
        boolean fits = arrays ? "array<double>".equals(found) || "array<float>".equals(found)
                : "double".equals(found) || "float".equals(found);
        if (!fits) {
            throw new InputException(table, 0, "needs the columns x and y (array<double> or array<float>), or x0..x"
                    + (d - 1) + " and y0..y" + (k - 1) + " (double or float) for W of " + d + " x " + k + " (" + wFile
                    + "); column " + name + (found == null ? " is missing" : " is " + found) + "; the table has "
                    + sqlType(schema));
        }
        String[] path = leafPath(field);
        ColumnDescriptor descriptor = schema.getColumnDescription(path);
        if (!arrays) {
            return new Column(descriptor, name, ofY, first, false, descriptor.getMaxDefinitionLevel(),
                    descriptor.getMaxDefinitionLevel());
        }
        int repeatedAt = field.isRepetition(Type.Repetition.REPEATED) ? 1 : 2;
        int listDef = schema.getMaxDefinitionLevel(Arrays.copyOf(path, repeatedAt));
        int nullDef = repeatedAt == 1 ? 0 : schema.getMaxDefinitionLevel(new String[] {name});
        return new Column(descriptor, name, ofY, first, true, nullDef, listDef);
    }

    private static ColumnDescriptor rowColumn(MessageType schema, String name, String table) {
        if (!schema.containsField(name)) {
            throw new InputException(table, 0, "has no row column '" + name + "'; the table has " + sqlType(schema));
        }
        Type field = schema.getType(name);
        String type = sqlType(field);
        if (!type.equals("bigint") && !type.equals("int")) {
            throw new InputException(table, 0, "the row column '" + name + "' is " + type
                    + "; it must be an integer (bigint or int)");
        }
        return schema.getColumnDescription(new String[] {name});
    }

    /** The path to the one leaf of a field already known to be a double or float, or a list of them. */
    private static String[] leafPath(Type field) {
        List<String> path = new ArrayList<>();
        Type t = field;
        path.add(t.getName());
        while (!t.isPrimitive()) {
            t = t.asGroupType().getType(0);
            path.add(t.getName());
        }
        return path.toArray(String[]::new);
    }

    /** The Spark SQL type a Parquet type is read as, by its SQL name: double, bigint, array&lt;double&gt;, …. */
    static String sqlType(Type type) {
        if (type.isRepetition(Type.Repetition.REPEATED) && !(type instanceof MessageType)) {
            return "array<" + elementType(type) + ">";
        }
        return elementType(type);
    }

    private static String elementType(Type type) {
        if (type.isPrimitive()) {
            return primitiveType(type.asPrimitiveType());
        }
        GroupType group = type.asGroupType();
        LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
        if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && group.getFieldCount() == 1
                && group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            Type repeated = group.getType(0);
            // Three levels (list / element), unless the repeated group is itself the element (old writers).
            boolean threeLevels = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple");
            return "array<" + (threeLevels ? sqlType(repeated.asGroupType().getType(0)) : elementType(repeated)) + ">";
        }
        if (annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            return "map<…>";
        }
        return group.getFields().stream().map(f -> f.getName() + ":" + sqlType(f))
                .collect(Collectors.joining(",", "struct<", ">"));
    }

    private static String primitiveType(PrimitiveType type) {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case DOUBLE:
                return "double";
            case FLOAT:
                return "float";
            case BOOLEAN:
                return "boolean";
            case INT64:
                return annotation == null ? "bigint" : annotation.toString().toLowerCase(java.util.Locale.ROOT);
            case INT32:
                return annotation == null ? "int" : annotation.toString().toLowerCase(java.util.Locale.ROOT);
            case BINARY:
                return annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation ? "string" : "binary";
            default:
                return type.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
