package org.relugrad.internal.kernel;

import org.relugrad.Matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.relugrad.NaiveGradient;

/** GradientSum: partial sums merged in any order and grouping give the same bits, the exactly rounded total. */
class GradientSumTest {

    /** A BlockGradient holding a copy of a kernel result, so it can be added again later. */
    private static BlockGradient copy(BlockGradient g, int d, int k) {
        BlockGradient c = new BlockGradient(d, k);
        System.arraycopy(g.dW(), 0, c.dw, 0, d * k);
        c.loss = g.loss();
        c.lossError = g.lossError();
        c.rows = g.rows();
        c.firstRow = g.firstRow();
        return c;
    }

    private static List<BlockGradient> randomBlocks(Random random, int d, int k, int blocks) {
        Matrix w = NaiveGradient.random(random, d, k);
        // Scale some blocks' inputs so the partials span many magnitudes and cancel in dW.
        BlockKernel kernel = new BlockKernel(w, EnumSet.of(Output.LOSS, Output.DW));
        List<BlockGradient> out = new ArrayList<>();
        long firstRow = 0;
        for (int b = 0; b < blocks; b++) {
            int rows = 1 + random.nextInt(200);
            double scale = Math.scalb(1.0, random.nextInt(40) - 20);
            Matrix x = NaiveGradient.random(random, rows, d);
            Matrix y = NaiveGradient.random(random, rows, k);
            for (int i = 0; i < x.values().length; i++) {
                x.values()[i] *= scale;
            }
            for (int i = 0; i < y.values().length; i++) {
                y.values()[i] *= scale;
            }
            out.add(copy(kernel.apply(new RowBlock(firstRow, rows, d, k, x.values(), y.values())), d, k));
            firstRow += rows;
        }
        return out;
    }

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " but was " + actual);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, -4})
    void mergingPartialsInAnyOrderAndGroupingGivesIdenticalBits(long seed) {
        Random random = new Random(seed);
        int d = 1 + random.nextInt(12);
        int k = 1 + random.nextInt(12);
        List<BlockGradient> blocks = randomBlocks(random, d, k, 60);

        // The independent reference: the blocks' values summed exactly in BigDecimal, rounded once.
        BigDecimal lossExact = BigDecimal.ZERO;
        BigDecimal[] dwExact = new BigDecimal[d * k];
        java.util.Arrays.fill(dwExact, BigDecimal.ZERO);
        long rows = 0;
        for (BlockGradient b : blocks) {
            lossExact = lossExact.add(new BigDecimal(b.loss())).add(new BigDecimal(b.lossError()));
            for (int i = 0; i < d * k; i++) {
                dwExact[i] = dwExact[i].add(new BigDecimal(b.dW()[i]));
            }
            rows += b.rows();
        }

        for (int trial = 0; trial < 25; trial++) {
            List<BlockGradient> order = new ArrayList<>(blocks);
            Collections.shuffle(order, random);
            int groups = 1 + random.nextInt(10);
            List<GradientSum> partials = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                partials.add(new GradientSum(d, k));
            }
            for (BlockGradient b : order) {
                partials.get(random.nextInt(groups)).add(b);
            }
            // Merge as a random tree.
            while (partials.size() > 1) {
                Collections.shuffle(partials, random);
                GradientSum last = partials.remove(partials.size() - 1);
                partials.get(0).merge(last);
            }
            GradientSum total = partials.get(0);

            assertSameBits(lossExact.doubleValue(), total.loss(), "trial " + trial + ": loss");
            Matrix dW = total.dW();
            assertEquals(d, dW.rows());
            assertEquals(k, dW.cols());
            for (int i = 0; i < d * k; i++) {
                assertSameBits(dwExact[i].doubleValue(), dW.values()[i], "trial " + trial + ": dW[" + i + "]");
            }
            assertEquals(rows, total.rows());
            assertEquals(blocks.size(), total.blocks());
        }
    }

    @Test
    void emptySumHasZeroLossAndZeroGradient() {
        GradientSum s = new GradientSum(2, 3);
        s.merge(new GradientSum(2, 3));
        assertSameBits(0.0, s.loss(), "loss");
        for (double v : s.dW().values()) {
            assertSameBits(0.0, v, "dW");
        }
        assertEquals(0, s.rows());
        assertEquals(0, s.blocks());
    }

    @Test
    void mergingSumsForDifferentShapesThrows() {
        GradientSum s = new GradientSum(2, 3);
        assertThrows(IllegalArgumentException.class, () -> s.merge(new GradientSum(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> s.merge(new GradientSum(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> s.merge(new GradientSum(1, 3)));
    }

    private static byte[] bytes(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static GradientSum roundTrip(GradientSum sum) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes(sum)))) {
            return (GradientSum) in.readObject();
        }
    }

    @Test
    void aSumOfNoBlocksHoldsNoArraysAndWritesAFewBytesWhateverTheShape() throws Exception {
        GradientSum empty = new GradientSum(4096, 16384);
        assertTrue(empty.dWSum().isZero());
        byte[] written = bytes(empty);
        assertTrue(written.length < 1000, written.length + " bytes");
        GradientSum back = roundTrip(empty);
        back.merge(new GradientSum(4096, 16384));
        assertTrue(back.dWSum().isZero(), "merging empty sums allocates nothing");
        assertSameBits(0.0, back.loss(), "loss");
        assertEquals(0, back.rows());
        assertThrows(IllegalArgumentException.class, () -> new GradientSum(65536, 65536));
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6})
    void dWSlicesSummedApartAndPutTogetherGiveTheSameBitsAsTheWhole(long seed) throws Exception {
        Random random = new Random(seed);
        int d = 3 + random.nextInt(10);
        int k = 3 + random.nextInt(10);
        List<BlockGradient> blocks = randomBlocks(random, d, k, 30);
        List<GradientSum> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            tasks.add(new GradientSum(d, k));
        }
        for (BlockGradient b : blocks) {
            tasks.get(random.nextInt(tasks.size())).add(b);
        }
        GradientSum whole = new GradientSum(d, k);
        for (GradientSum t : tasks) {
            whole.merge(roundTrip(t));
        }
        double[] expected = whole.dW().values();

        // Cut dW into slices at random places, reduce each slice over the tasks on its own, round it alone.
        double[] pieced = new double[d * k];
        ExactSum together = new ExactSum(d * k);
        int from = 0;
        while (from < d * k) {
            int to = Math.min(d * k, from + 1 + random.nextInt(d * k / 2 + 1));
            ExactSum slice = new ExactSum(to - from);
            for (GradientSum t : tasks) {
                slice.merge(t.dWSlice(from, to));
            }
            System.arraycopy(slice.rounded(), 0, pieced, from, to - from);
            together.mergeInto(from, slice);
            from = to;
        }
        for (int i = 0; i < d * k; i++) {
            assertSameBits(expected[i], pieced[i], "dW[" + i + "] from its slice");
            assertSameBits(expected[i], together.rounded(i), "dW[" + i + "] put together");
        }
        assertFalse(whole.dWSum().isZero());
        assertEquals(d * k, whole.dWSum().size());
    }
}
