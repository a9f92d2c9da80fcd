package org.relugrad.data;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * A double as the shortest decimal that reads back ({@link Double#parseDouble}) as the same double, laid out as
 * {@link Double#toString} lays it out ("1.5", "1.0E-5"): Raffaello Giulietti's Schubfach algorithm, as jackson-core
 * carries it, which Java 19 made {@code Double.toString}'s; before Java 19, {@code Double.toString} is several times
 * slower and sometimes gives a digit more.
 */
final class ShortestDecimal {
    /** The most characters a double takes, as in "-2.2250738585072014E-308". */
    static final int MAX_CHARS = 24;

    private ShortestDecimal() {
    }

    static String of(double value) {
        return NumberOutput.toString(value, true);
    }

    /** Writes {@code value}'s characters, ASCII, to {@code dest[at ..]}; returns the index after the last. */
    static int write(double value, byte[] dest, int at) {
        String text = of(value);
        int length = text.length();
        for (int i = 0; i < length; i++) {
            dest[at + i] = (byte) text.charAt(i);
        }
        return at + length;
    }
}
