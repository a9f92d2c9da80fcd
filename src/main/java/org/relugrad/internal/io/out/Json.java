package org.relugrad.internal.io.out;

import java.util.Collection;
import java.util.Map;

/** Just enough JSON for summaries: objects, lists, strings, numbers (round-tripping doubles) and booleans. */
final class Json {
    private Json() {
    }

    static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder();
        append(out, fields, "");
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            out.append("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "\n" : ",\n").append(inner);
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                append(out, e.getValue(), inner);
                first = false;
            }
            out.append(first ? "}" : "\n" + indent + "}");
        } else if (value instanceof Collection<?> list) {
            out.append("[");
            boolean first = true;
            for (Object item : list) {
                out.append(first ? "" : ", ");
                append(out, item, indent);
                first = false;
            }
            out.append("]");
        } else if (value instanceof double[] array) {
            out.append("[");
            for (int i = 0; i < array.length; i++) {
                out.append(i == 0 ? "" : ", ");
                append(out, array[i], indent);
            }
            out.append("]");
        } else if (value instanceof Double number) {
            out.append(Double.isFinite(number) ? number.toString() : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value == null) {
            out.append("null");
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
