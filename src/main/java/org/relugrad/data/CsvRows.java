package org.relugrad.data;

/**
 * Parses one line of a relugrad CSV file: comma-separated decimal numbers, no header, no quoting. Values must be
 * finite doubles; the count must match what the matrix's shape demands.
 */
public final class CsvRows {
    private CsvRows() {
    }

    /**
     * Parses {@code width} numbers from {@code line} into {@code dest[offset ..]}.
     *
     * @param file the file's name, for errors
     * @param lineNumber the 1-based line number, for errors
     * @param what why {@code width} values are expected, for errors (e.g. "the rows of W")
     * @throws InputException naming the file and line when the line is not exactly {@code width} finite numbers
     */
    public static void parse(String line, String file, long lineNumber, int width, String what,
                             double[] dest, int offset) {
        int length = line.length();
        // A byte-order mark, as some editors write at the start of a UTF-8 file, is not part of the first number.
        int start = length > 0 && line.charAt(0) == '\uFEFF' ? 1 : 0;
        int count = 0;
        while (true) {
            int end = line.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            if (count == width) {
                throw new InputException(file, lineNumber, "expected " + width + " values (" + what + "), found "
                        + countFields(line));
            }
            dest[offset + count] = parseNumber(line, start, end, file, lineNumber);
            count++;
            if (end == length) {
                break;
            }
            start = end + 1;
        }
        if (count != width) {
            throw new InputException(file, lineNumber, "expected " + width + " values (" + what + "), found " + count);
        }
    }

    /** How many comma-separated fields {@code line} has; an empty line has none. */
    public static int countFields(String line) {
        if (line.isBlank()) {
            return 0;
        }
        int fields = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            fields++;
        }
        return fields;
    }

    private static double parseNumber(String line, int start, int end, String file, long lineNumber) {
        while (start < end && line.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && line.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            throw new InputException(file, lineNumber,
                    line.isBlank() ? "empty line, expected numbers" : "empty value between commas");
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            boolean numeric = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!numeric) {
                String token = line.substring(start, end);
                String lower = token.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("nan") || lower.contains("inf")) {
                    throw new InputException(file, lineNumber,
                            "'" + shorten(token) + "' is not finite: NaN and infinity are not allowed");
                }
                throw new InputException(file, lineNumber, "'" + shorten(token) + "' is not a number");
            }
        }
        String token = line.substring(start, end);
        double value;
        try {
            value = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new InputException(file, lineNumber, "'" + shorten(token) + "' is not a number");
        }
        if (Double.isInfinite(value)) {
            throw new InputException(file, lineNumber, "'" + shorten(token) + "' overflows a double (not finite)");
        }
        return value;
    }

    /** The token as it can be shown on one line: at most 40 characters, invisible ones as \\uXXXX. */
    private static String shorten(String token) {
        String shown = token.length() <= 40 ? token : token.substring(0, 37) + "...";
        StringBuilder out = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            boolean visible = c > ' ' && c != 0x7F && !Character.isWhitespace(c) && Character.getType(c) != Character.FORMAT
                    && !Character.isISOControl(c);
            out.append(visible || c == ' ' ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return out.toString();
    }
}
