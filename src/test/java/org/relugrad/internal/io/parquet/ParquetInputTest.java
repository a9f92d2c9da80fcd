package org.relugrad.internal.io.parquet;

import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.NumberedRows;
import org.relugrad.internal.io.ParallelWork;
import org.relugrad.internal.io.RowRangeInput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.relugrad.Fixture;
import org.relugrad.ParquetTables;
import org.relugrad.ParquetTables.Shape;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.RowBlock;

/**
 * ParquetInput against the fixtures written as Parquet tables of every shape: every row range, read block by block
 * across pages, row groups and files, holds the fixture's values to the bit; bad values, columns and row numbers
 * are errors naming the table, the row and the file. No Spark: footers are read by a local {@link ParallelWork}.
 */
class ParquetInputTest {
    private static final Matrix X = Fixture.matrix("npy/big", "X.csv");
    private static final Matrix Y = Fixture.matrix("npy/big", "Y.csv");
    private static final String W = Fixture.path("npy/big", "W.csv").toString();
    private static final int N = X.rows();

    @TempDir
    Path tmp;

    /** Runs the work items one after another, counting them. */
    private static final class LocalWork implements ParallelWork {
        int items;

        @Override
        public <T extends java.io.Serializable, R extends java.io.Serializable> List<R> map(List<T> in, Task<T, R> fn) {
            items += in.size();
            return in.stream().map(fn::apply).toList();
        }
    }

    static Stream<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        for (boolean arrays : new boolean[] {true, false}) {
            for (boolean optional : new boolean[] {false, true}) {
                shapes.add(new Shape(arrays, optional, false, false, 3, 7, 3));
                shapes.add(new Shape(arrays, optional, true, true, 2, 50, 9));
            }
        }
        shapes.add(new Shape(true, true, false, true, 1, 1000, 1000));
        return shapes.stream();
    }

    private ParquetInput open(Path table, String rowColumn) {
        ParquetInput input = new ParquetInput(table.toString(), W, rowColumn);
        input.open(new Configuration());
        input.index(new LocalWork());
        return input;
    }

    /** Rows [from, to) read through one reader in blocks of {@code blockRows}, against the fixture, bit for bit. */
    private static void assertReads(ParquetInput input, long from, long to, int blockRows) {
        try (RowRangeInput.RangeReader reader = input.reader(from, to)) {
            RowBlock previous = null;
            for (long first = from; first < to; first += blockRows) {
                int count = (int) Math.min(blockRows, to - first);
                RowBlock block = reader.next(count, previous);
                assertEquals(first, block.firstRow());
                for (int r = 0; r < count; r++) {
                    for (int c = 0; c < X.cols(); c++) {
                        assertEquals(Double.doubleToRawLongBits(X.get((int) first + r, c)),
                                Double.doubleToRawLongBits(block.x()[r * X.cols() + c]), "x row " + (first + r));
                    }
                    for (int c = 0; c < Y.cols(); c++) {
                        assertEquals(Double.doubleToRawLongBits(Y.get((int) first + r, c)),
                                Double.doubleToRawLongBits(block.y()[r * Y.cols() + c]), "y row " + (first + r));
                    }
                }
                previous = block;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyRangeReadsTheFixtureBitForBitAcrossPagesRowGroupsAndFiles(Shape shape) {
        Path table = ParquetTables.write(tmp.resolve("t"), X, Y, ParquetTables.inOrder(N), false, shape);
        ParquetInput input = open(table, null);
        assertEquals(N, input.rows());
        assertReads(input, 0, N, 16);
        assertReads(input, 5, 123, 13);
        assertReads(input, 149, 151, 1);
        assertReads(input, N - 1, N, 1);
        RowBlock block = input.read(99, 3);
        assertEquals(X.get(100, 4), block.x()[9]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aRowColumnInFileOrderIsReadByRangeAndOtherwiseInStoredOrderWithItsNumbers(Shape shape) {
        ParquetInput inOrder = open(ParquetTables.write(tmp.resolve("a"), X, Y, ParquetTables.inOrder(N), true,
                shape), "row");
        assertTrue(inOrder.inStoredOrder());
        assertReads(inOrder, 0, N, 32);

        long[] order = ParquetTables.shuffled(N, 7);
        ParquetInput shuffled = open(ParquetTables.write(tmp.resolve("b"), X, Y, order, true, shape), "row");
        if (shape.groupRows() >= N) {
            // One row group holds rows 0 … n−1 in some order: its statistics cannot tell, its values can.
            assertTrue(shuffled.inStoredOrder());
            assertTrue(readError(shuffled).contains(": the row column 'row' holds "));
            return;
        }
        assertFalse(shuffled.inStoredOrder());
        boolean[] seen = new boolean[N];
        int stored = 0;
        for (int part = 0; part < shuffled.storedParts(); part++) {
            for (Iterator<NumberedRows> it = shuffled.readStored(part, 10); it.hasNext(); ) {
                NumberedRows rows = it.next();
                assertEquals(null, rows.error);
                for (int i = 0; i < rows.count; i++) {
                    int r = (int) rows.numbers[i];
                    assertEquals(order[stored++], r);
                    assertFalse(seen[r]);
                    seen[r] = true;
                    assertEquals(X.get(r, 3), rows.x[i * X.cols() + 3]);
                    assertEquals(Y.get(r, 2), rows.y[i * Y.cols() + 2]);
                }
            }
        }
        assertEquals(N, stored);
    }

    @Test
    void manyFilesHaveTheirFootersReadByTasksInBatches() {
        Shape shape = new Shape(true, false, false, false, 75, 2, 1);
        Path table = ParquetTables.write(tmp.resolve("many"), X, Y, ParquetTables.inOrder(N), false, shape);
        ParquetInput input = new ParquetInput(table.toString(), W, null);
        input.open(new Configuration());
        LocalWork work = new LocalWork();
        input.index(work);
        assertEquals(3, work.items);
        assertReads(input, 0, N, 17);
    }

    /** A required-or-optional array table whose row {@code bad} is written by {@code badRow}. */
    private Path arraysWith(int bad, java.util.function.Consumer<Group> badRow) {
        Shape shape = new Shape(true, true, false, false, 2, 7, 3);
        MessageType schema = ParquetTables.schema(shape, X.cols(), Y.cols(), false);
        return ParquetTables.write(tmp.resolve("bad"), schema, ParquetTables.inOrder(N), shape, (i, r, g) -> {
            if (r == bad) {
                badRow.accept(g);
            } else {
                ParquetTables.fillRow(g, shape, X, Y, (int) r, false);
            }
        });
    }

    private static String readError(ParquetInput input) {
        return assertThrows(InputException.class, () -> assertReads(input, 0, N, 64)).getMessage();
    }

    @Test
    void nullsWrongLengthsNaNAndInfinityNameTheTableTheRowAndTheFile() {
        Path table = tmp.resolve("bad");
        Matrix nan = withValue(X, 160, 2, Double.NaN);
        String message = readError(open(arraysWith(160, g -> {
            ParquetTables.addList(g.addGroup("x"), nan, 160);
            ParquetTables.addList(g.addGroup("y"), Y, 160);
        }), null));
        assertEquals(table + " row 160: x[2] is NaN; values must be finite numbers (" + table
                + "/part-00001.parquet, row group 1, its row 3)", message);

        assertTrue(readError(open(arraysWith(3, g -> ParquetTables.addList(g.addGroup("y"), Y, 3)), null))
                .startsWith(table + " row 3: x is null ("), "null list");
        assertTrue(readError(open(arraysWith(4, g -> {
            Group x = g.addGroup("x");
            for (int c = 0; c < 4; c++) {
                x.addGroup("list").add("element", 1.0);
            }
            ParquetTables.addList(g.addGroup("y"), Y, 4);
        }), null)).startsWith(table + " row 4: x has 4 values, expected d = 5, the rows of " + W), "short list");
        assertTrue(readError(open(arraysWith(5, g -> {
            ParquetTables.addList(g.addGroup("x"), X, 5);
            Group y = g.addGroup("y");
            y.addGroup("list").add("element", 1.0);
            y.addGroup("list");
            y.addGroup("list").add("element", 1.0);
        }), null)).startsWith(table + " row 5: y[1] is null; values must be finite numbers"), "null element");

        Shape scalars = new Shape(false, true, true, false, 2, 7, 3);
        Matrix inf = withValue(Y, 8, 1, Double.NEGATIVE_INFINITY);
        Path scalarTable = ParquetTables.write(tmp.resolve("inf"), X, inf, ParquetTables.inOrder(N), false, scalars);
        assertTrue(readError(open(scalarTable, null)).startsWith(scalarTable
                + " row 8: y1 is -Infinity; values must be finite numbers"));
    }

    @Test
    void theEarliestBadRowOfABlockIsReportedAndXBeforeYInARow() {
        Matrix x = withValue(withValue(X, 9, 4, Double.NaN), 12, 0, Double.NaN);
        Matrix y = withValue(withValue(Y, 9, 0, Double.POSITIVE_INFINITY), 2, 2, Double.NaN);
        Shape shape = new Shape(false, false, false, false, 1, 100, 100);
        Path table = ParquetTables.write(tmp.resolve("two"), x, y, ParquetTables.inOrder(N), false, shape);
        assertTrue(readError(open(table, null)).startsWith(table + " row 2: y2 is NaN"));
        Matrix y9 = withValue(Y, 9, 0, Double.POSITIVE_INFINITY);
        Path nine = ParquetTables.write(tmp.resolve("nine"), x, y9, ParquetTables.inOrder(N), false, shape);
        assertTrue(readError(open(nine, null)).startsWith(nine + " row 9: x4 is NaN"));
    }

    @Test
    void aRowColumnWhoseStatisticsPromiseFileOrderIsCheckedValueByValue() {
        long[] order = ParquetTables.inOrder(N);
        order[3] = 4;
        order[4] = 3;
        Shape shape = new Shape(true, false, false, false, 1, 10, 10);
        Path table = ParquetTables.write(tmp.resolve("swap"), X, Y, order, true, shape);
        ParquetInput input = open(table, "row");
        assertTrue(input.inStoredOrder());
        assertTrue(readError(input).startsWith(table + " row 3: the row column 'row' holds 4 here"));
    }

    @Test
    void rowNumbersOutsideZeroToNMinusOneAreFoundFromTheStatistics() {
        long[] order = ParquetTables.shuffled(N, 3);
        Shape shape = new Shape(true, false, false, false, 2, 20, 5);
        MessageType schema = ParquetTables.schema(shape, X.cols(), Y.cols(), true);
        Path table = ParquetTables.write(tmp.resolve("big"), schema, order, shape, (i, r, g) -> {
            g.add("row", r == 0 ? (long) N : r);
            ParquetTables.addList(g.addGroup("x"), X, (int) r);
            ParquetTables.addList(g.addGroup("y"), Y, (int) r);
        });
        InputException e = assertThrows(InputException.class, () -> open(table, "row"));
        assertEquals(table + ": the row column 'row' must number the 300 rows 0..299 once each; it runs from 1 to "
                + "300", e.getMessage());
    }

    @Test
    void badColumnsAndFilesAreOneLineErrorsListingTheSchema() {
        Shape shape = new Shape(false, false, false, false, 1, 100, 100);
        Path narrow = ParquetTables.write(tmp.resolve("narrow"), X, Y, ParquetTables.inOrder(N), true, shape);
        InputException wide = assertThrows(InputException.class, () -> {
            ParquetInput input = new ParquetInput(narrow.toString(), Fixture.path("seed", "W.csv").toString(), null);
            input.open(new Configuration());
            input.index(new LocalWork());
        });
        assertTrue(wide.getMessage().startsWith(narrow + ": needs the columns x and y (array<double> or "
                + "array<float>), or x0..x3 and y0..y3 (double or float) for W of 4 x 4"), wide.getMessage());
        assertTrue(wide.getMessage().endsWith("column y3 is missing; the table has struct<row:bigint,x0:double,"
                + "x1:double,x2:double,x3:double,x4:double,y0:double,y1:double,y2:double>"), wide.getMessage());

        assertEquals(narrow + ": has no row column 'index'; the table has struct<row:bigint,x0:double,x1:double,"
                + "x2:double,x3:double,x4:double,y0:double,y1:double,y2:double>",
                assertThrows(InputException.class, () -> open(narrow, "index")).getMessage());
        assertEquals(narrow + ": the row column 'x0' is double; it must be an integer (bigint or int)",
                assertThrows(InputException.class, () -> open(narrow, "x0")).getMessage());
        assertEquals(tmp.resolve("none") + ": cannot be read as Parquet: no such file or folder",
                assertThrows(InputException.class, () -> open(tmp.resolve("none"), null)).getMessage());
        Path csv = Fixture.path("npy/big", "X.csv");
        assertTrue(assertThrows(InputException.class, () -> open(csv, null)).getMessage()
                .startsWith(csv + ": cannot be read as Parquet: "));

        Path empty = ParquetTables.write(tmp.resolve("empty"), X, Y, new long[0], false, shape);
        assertEquals(empty + ": has no rows", assertThrows(InputException.class, () -> open(empty, null))
                .getMessage());
    }

    private static Matrix withValue(Matrix m, int r, int c, double v) {
        double[] values = Arrays.copyOf(m.values(), m.values().length);
        values[r * m.cols() + c] = v;
        return new Matrix(m.rows(), m.cols(), values);
    }
}
