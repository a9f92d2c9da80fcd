package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses the lines of a relugrad CSV file: comma-separated decimal numbers, no header, no quoting. Values must be
 * finite doubles; the count must match what the matrix's shape demands. A line is parsed from its bytes where it
 * lies: a plain decimal by {@link DecimalParser}, which gives the double {@link Double#parseDouble} gives; anything
 * else, once checked to hold only digits, signs, points and exponent letters (no hexadecimal, no NaN, no type
 * suffix), by {@code Double.parseDouble} itself, which then accepts or refuses it.
 */
public final class CsvRows {
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final int width;
    private final String what;

    /**
     * A parser of lines of {@code width} numbers.
     *
     * @param what why {@code width} values are expected, for errors (e.g. "the rows of W")
     */
    public CsvRows(int width, String what) {
        this.width = width;
        this.what = what;
    }

    /** How many numbers a line holds. */
    public int width() {
        return width;
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
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        new CsvRows(width, what).parse(bytes, 0, bytes.length, file, lineNumber, dest, offset);
    }

    /**
     * Parses {@code width} numbers from the UTF-8 line {@code bytes[from, to)}, its line end not included, into
     * {@code dest[offset ..]}.
     *
     * @param file the file's name, for errors
     * @param lineNumber the 1-based line number, for errors
     * @throws InputException naming the file and line when the line is not exactly {@code width} finite numbers
     */
    public void parse(byte[] bytes, int from, int to, String file, long lineNumber, double[] dest, int offset) {
        // A byte-order mark, as some editors write at the start of a UTF-8 file, is not part of the first number.
        int start = startsWithByteOrderMark(bytes, from, to) ? from + BYTE_ORDER_MARK.length : from;
        int count = 0;
        while (true) {
            if (count == width) {
                throw new InputException(file, lineNumber, "expected " + width + " values (" + what + "), found "
                        + countFields(text(bytes, from, to)));
            }
            int end = DecimalParser.parse(bytes, start, to, dest, offset + count);
            if (end == DecimalParser.UNDECIDED) {
                end = start;
                while (end < to && bytes[end] != ',') {
                    end++;
                }
                dest[offset + count] = parseNumber(bytes, start, end, from, to, file, lineNumber);
            }
            count++;
            if (end == to) {
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

    /** The number in {@code bytes[start, end)}, spaces and control characters around it ignored. */
    private double parseNumber(byte[] bytes, int start, int end, int lineFrom, int lineTo, String file,
                               long lineNumber) {
        while (start < end && (bytes[start] & 0xFF) <= ' ') {
            start++;
        }
        while (end > start && (bytes[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        if (start == end) {
            throw new InputException(file, lineNumber, text(bytes, lineFrom, lineTo).isBlank()
                    ? "empty line, expected numbers" : "empty value between commas");
        }
        String token = text(bytes, start, end);
        for (int i = start; i < end; i++) {
            byte c = bytes[i];
            boolean numeric = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!numeric) {
                throw notANumber(token, file, lineNumber);
            }
        }
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

    private static InputException notANumber(String token, String file, long lineNumber) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (lower.contains("nan") || lower.contains("inf")) {
            return new InputException(file, lineNumber,
                    "'" + shorten(token) + "' is not finite: NaN and infinity are not allowed");
        }
        return new InputException(file, lineNumber, "'" + shorten(token) + "' is not a number");
    }

    private static boolean startsWithByteOrderMark(byte[] bytes, int from, int to) {
        return to - from >= 3 && bytes[from] == BYTE_ORDER_MARK[0] && bytes[from + 1] == BYTE_ORDER_MARK[1]
                && bytes[from + 2] == BYTE_ORDER_MARK[2];
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
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
