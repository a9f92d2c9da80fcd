package org.relugrad.internal.io.npy;

import org.relugrad.internal.io.RowWriter;
import org.relugrad.internal.io.out.OutputFolder;
import org.relugrad.internal.io.out.OutputFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.NpyFile;
import org.relugrad.Matrix;
import org.relugrad.internal.kernel.Output;

/**
 * One dX.npy from parts written as tasks would: in positioned mode (local disk) and assembled mode (file systems
 * without positioned writes), with partitions finishing out of order, an empty one, and a failed attempt whose
 * leftovers the kept attempt overwrites (positioned) or that is never committed (assembled).
 */
class NpySingleFileTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "positioned writes: {0}")
    @ValueSource(booleans = {true, false})
    void partsWrittenInAnyOrderMakeOneNpyInRowOrder(boolean positioned) throws Exception {
        String dir = tmp.resolve("out").toString();
        Configuration conf = new Configuration();
        OutputFolder folder = positioned ? OutputFolder.create(dir, false, conf, OutputFormat.NPY, true)
                : OutputFolder.createAssembled(dir, conf);
        int rows = 11;
        int cols = 3;
        double[] all = new double[rows * cols];
        Arrays.setAll(all, i -> i * 0.25 - 3);
        long[] first = {0, 4, 4, 9};
        folder.begin(Output.DX, rows, cols);

        // A failed attempt of partition 1 writes garbage and never finishes.
        RowWriter failed = folder.open(Output.DX, 1, 99, 4, 5, cols);
        failed.write(4, 2, new double[] {7, 7, 7, 7, 7, 7});
        failed.close();

        SortedMap<Integer, String> parts = new TreeMap<>();
        for (int p : new int[] {3, 1, 0, 2}) {
            long end = p == 3 ? rows : first[p + 1];
            int count = (int) (end - first[p]);
            try (RowWriter writer = folder.open(Output.DX, p, p + 10, first[p], count, cols)) {
                // Written in two calls, as blocks would be.
                int half = count / 2;
                writer.write(first[p], half, Arrays.copyOfRange(all, (int) first[p] * cols, (int) (first[p] + half) * cols));
                writer.write(first[p] + half, count - half,
                        Arrays.copyOfRange(all, (int) (first[p] + half) * cols, (int) end * cols));
                parts.put(p, writer.finish());
            }
        }
        folder.commit(Output.DX, parts);
        folder.finish(java.util.Map.of("loss", 0.0));

        Matrix back = NpyFile.read(tmp.resolve("out/dX.npy"));
        assertEquals(rows, back.rows());
        assertEquals(cols, back.cols());
        assertArrayEquals(all, back.values());
        assertFalse(Files.exists(tmp.resolve("out/_temporary")));
        assertTrue(Files.exists(tmp.resolve("out/summary.json")));
    }
}
