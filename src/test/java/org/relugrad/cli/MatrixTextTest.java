package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loss is printed as C's and Python's '%.17g' prints it (the expected strings are Python's). */
class MatrixTextTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "99.90477712668212, 99.90477712668212",
        "0.1, 0.10000000000000001",
        "39.0, 39",
        "1e-300, 1e-300",
        "1e-5, 1.0000000000000001e-05",
        "1.5e20, 1.5e+20",
        "123456789.123, 123456789.123",
        "-2.5, -2.5",
    })
    void lossHasSeventeenSignificantDigits(double value, String expected) {
        assertEquals(expected, MatrixText.seventeenDigits(value));
        assertEquals(value, Double.parseDouble(MatrixText.seventeenDigits(value)));
    }
}
