package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.InputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.Fixture;
import org.relugrad.Matrix;

/** .npy files written by NumPy (src/test/resources/fixtures/npy/make_npy_fixtures.py) read back exactly. */
class NpyMatrixTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path tmp;

    private static NpyMatrix open(String folder, String file) {
        return NpyMatrix.open(Fixture.path(folder, file).toString(), CONF);
    }

    @ParameterizedTest(name = "header version {0}")
    @ValueSource(strings = {"seed/X.npy", "npy/X_v2.npy", "npy/X_v3.npy"})
    void everyHeaderVersionReadsTheSameValuesAsTheCsvCopy(String file) {
        String[] at = file.split("/");
        NpyMatrix x = open(at[0], at[1]);
        Matrix expected = Fixture.load("seed").x();
        assertEquals(10, x.rows());
        assertEquals(4, x.cols());
        assertArrayEquals(expected.values(), x.readAll().values());
    }

    @Test
    void float32IsWidenedExactly() {
        NpyMatrix x = open("npy/f32", "X.npy");
        assertTrue(x.header().float32());
        assertArrayEquals(Fixture.matrix("npy/f32", "X.csv").values(), x.readAll().values());
    }

    @Test
    void anyRowRangeReadsThoseRowsOnly() {
        NpyMatrix x = open("npy/big", "X.npy");
        Matrix all = Fixture.matrix("npy/big", "X.csv");
        for (int first : new int[] {0, 1, 17, 150, 299}) {
            for (int count : new int[] {0, 1, 3}) {
                if (first + count <= 300) {
                    double[] expected = Arrays.copyOfRange(all.values(), first * 5, (first + count) * 5);
                    assertArrayEquals(expected, x.read(first, count), "rows " + first + "+" + count);
                }
            }
        }
        double[] dest = new double[7 * 5 + 2];
        x.read(293, 7, dest, 2);
        assertArrayEquals(Arrays.copyOfRange(all.values(), 293 * 5, 300 * 5), Arrays.copyOfRange(dest, 2, dest.length));
    }

    @Test
    void aHeaderWrittenForOutputIsReadBackAsNumPyWouldWriteIt() throws Exception {
        byte[] header = NpyHeader.float64(300, 5);
        byte[] numpy = Files.readAllBytes(Fixture.path("npy/big", "X.npy"));
        assertArrayEquals(Arrays.copyOf(numpy, header.length), header);
        assertEquals(0, header.length % 64);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fortran.npy    | Fortran (column-major) order",
        "bigendian.npy  | big-endian ('>f8')",
        "int64.npy      | dtype '<i8'",
        "oned.npy       | 1 dimensions",
        "threed.npy     | 3 dimensions",
        "truncated.npy  | truncated: its header says 10 x 4 float64 (448 bytes), the file has 440 bytes",
        "notnpy.npy     | not a .npy file",
    })
    void eachBadFileIsOneClearErrorNamingIt(String file, String problem) {
        String path = Fixture.path("npy/bad", file).toString();
        InputException e = assertThrows(InputException.class, () -> NpyMatrix.open(path, CONF));
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aNaNIsAnErrorAtItsZeroBasedRowAndColumn() {
        NpyMatrix x = open("npy/bad", "nan.npy");
        InputException e = assertThrows(InputException.class, () -> x.read(5, 4));
        assertEquals(x.file() + " row 7: NaN in column 2", e.getMessage());
        assertEquals(8, e.error().line(), "ordered as the 8th line would be");
    }

    @Test
    void aFileCutShortAfterOpeningIsReportedAsTruncated() throws Exception {
        Path copy = Files.copy(Fixture.path("npy/big", "X.npy"), tmp.resolve("X.npy"));
        NpyMatrix x = NpyMatrix.open(copy.toString(), CONF);
        byte[] bytes = Files.readAllBytes(copy);
        Files.write(copy, Arrays.copyOf(bytes, bytes.length - 100));
        InputException e = assertThrows(InputException.class, () -> x.read(290, 10));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        String path = tmp.resolve("nope.npy").toString();
        InputException e = assertThrows(InputException.class, () -> NpyMatrix.open(path, CONF));
        assertEquals(path + ": no such file", e.getMessage());
    }
}
