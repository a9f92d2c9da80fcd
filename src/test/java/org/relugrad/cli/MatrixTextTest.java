package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The loss is printed as C's and Python's '%.17g' prints it (the expected strings are Python's); matrices are
 * summarized as NumPy's array2string summarizes them (edgeitems 3, threshold 1000, corners and '...'), the expected
 * text written out by hand.
 */
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

    /** rows x cols, entry (r, c) = r * cols + c + 1, as np.arange(1, rows * cols + 1).reshape(rows, cols). */
    private static org.relugrad.Matrix counting(int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return new org.relugrad.Matrix(rows, cols, v);
    }

    @Test
    void aMatrixThatFitsIsPrintedWhole() {
        assertEquals("""
                M (2 x 3):
                   1.0 2.0 3.0
                   4.0 5.0 6.0
                """, MatrixText.format("M", counting(2, 3), false, 80));
    }

    @Test
    void aMatrixWiderThanTheLineKeepsAsManyEdgeColumnsAsFit() {
        // The whole line takes 42 characters, three columns at each end 36, two 26.
        assertEquals("""
                M (2 x 8; corners, --print full shows all):
                    1.0  2.0 ...  7.0  8.0
                    9.0 10.0 ... 15.0 16.0
                """, MatrixText.format("M", counting(2, 8), false, 30));
        assertEquals("""
                M (2 x 8; corners, --print full shows all):
                    1.0  2.0  3.0 ...  6.0  7.0  8.0
                    9.0 10.0 11.0 ... 14.0 15.0 16.0
                """, MatrixText.format("M", counting(2, 8), false, 36));
        assertEquals(2, MatrixText.format("M", counting(2, 8), false, 42).lines().filter(l -> l.contains("16.0")
                || l.contains("8.0")).count());
    }

    @Test
    void sixColumnsOrFewerAreNeverSummarized() {
        // As np.array2string never summarizes an axis of at most 2 * edgeitems: the line is left to wrap.
        assertEquals("""
                M (2 x 6):
                    1.0  2.0  3.0  4.0  5.0  6.0
                    7.0  8.0  9.0 10.0 11.0 12.0
                """, MatrixText.format("M", counting(2, 6), false, 10));
    }

    @Test
    void moreThanAThousandValuesShowThreeRowsAndColumnsAtEachEnd() {
        // 40 x 40 = 1600 > 1000: as np.array2string(a) summarizes both axes to their three first and last items.
        String text = MatrixText.format("dX", counting(40, 40), true, 80);
        assertEquals("""
                dX (40 x 40; corners, --print full shows all):
                   0:    1.0    2.0    3.0 ...   38.0   39.0   40.0
                   1:   41.0   42.0   43.0 ...   78.0   79.0   80.0
                   2:   81.0   82.0   83.0 ...  118.0  119.0  120.0
                      ...
                  37: 1481.0 1482.0 1483.0 ... 1518.0 1519.0 1520.0
                  38: 1521.0 1522.0 1523.0 ... 1558.0 1559.0 1560.0
                  39: 1561.0 1562.0 1563.0 ... 1598.0 1599.0 1600.0
                """, text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 80));
    }

    @Test
    void printFullShowsEveryValue() {
        String text = MatrixText.format("dX", counting(40, 40), true, MatrixText.FULL);
        List<String> lines = text.lines().toList();
        assertEquals("dX (40 x 40):", lines.get(0));
        assertEquals(41, lines.size());
        assertEquals(40, lines.get(40).trim().split(" +").length - 1);
        assertTrue(lines.get(40).endsWith(" 1599.0 1600.0"));
    }

    @Test
    void theWidthComesFromColumnsOrIsEighty() {
        assertEquals(132, MatrixText.terminalColumns("132"));
        assertEquals(80, MatrixText.terminalColumns(null));
        assertEquals(80, MatrixText.terminalColumns(""));
        assertEquals(80, MatrixText.terminalColumns("wide"));
    }
}
