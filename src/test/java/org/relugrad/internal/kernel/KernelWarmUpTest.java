package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** KernelWarmUp: once per JVM for a shape and its outputs, none for the BLAS path, bounded in calls and time. */
class KernelWarmUpTest {

    @Test
    void startsOncePerShapeAndOutputs() throws InterruptedException {
        Thread first = KernelWarmUp.start(5, 3, EnumSet.of(Output.LOSS, Output.DW));
        assertNotNull(first);
        assertTrue(first.isDaemon());
        // The loss is always computed: naming it or not is the same warm-up.
        assertNull(KernelWarmUp.start(5, 3, EnumSet.of(Output.DW)));
        Thread other = KernelWarmUp.start(5, 3, EnumSet.of(Output.DW, Output.DX, Output.DY));
        assertNotNull(other);
        first.join();
        other.join();
        assertNull(KernelWarmUp.start(5, 3, EnumSet.of(Output.LOSS, Output.DW)));
    }

    @Test
    void float32BlocksGetAWarmUpOfTheirOwn() throws InterruptedException {
        Thread float64 = KernelWarmUp.start(6, 2, EnumSet.of(Output.DW));
        assertNotNull(float64);
        Thread float32 = KernelWarmUp.start(6, 2, EnumSet.of(Output.DW), true);
        assertNotNull(float32, "the float32 path is code of its own");
        float64.join();
        float32.join();
        assertNull(KernelWarmUp.start(6, 2, EnumSet.of(Output.DW), true));
        assertEquals(7, KernelWarmUp.run(8, 8, EnumSet.of(Output.DW), true, 7, Long.MAX_VALUE));
    }

    @Test
    void theBlasPathGetsNone() {
        int wide = BlockKernel.Path.FUSED_MAX_WIDTH + 1;
        assertEquals(BlockKernel.Path.BLAS, BlockKernel.Path.of(wide, 2));
        assertNull(KernelWarmUp.start(wide, 2, EnumSet.of(Output.DW)));
    }

    @Test
    void makesTheCallsItIsGivenUnlessTimeRunsOut() {
        assertEquals(7, KernelWarmUp.run(8, 8, EnumSet.of(Output.DW), 7, Long.MAX_VALUE));
        assertEquals(0, KernelWarmUp.run(8, 8, EnumSet.of(Output.DW), 7, 0));
        // With ∂f/∂b among the outputs, the kernel of a layer with a bias, W being (d + 1) x k: it runs, on the
        // paired path (k = 4) and the plain one (k = 3) too.
        assertEquals(7, KernelWarmUp.run(8, 8, EnumSet.of(Output.DW, Output.DB), 7, Long.MAX_VALUE));
        assertEquals(7, KernelWarmUp.run(5, 4, EnumSet.of(Output.DB, Output.DX), true, 7, Long.MAX_VALUE));
        assertEquals(7, KernelWarmUp.run(5, 3, EnumSet.of(Output.DB, Output.DY), 7, Long.MAX_VALUE));
    }

    @Test
    void itsBlockCoversTheVectorTilesAndThePlainRemainder() {
        assertTrue(KernelWarmUp.ROWS >= FusedKernel.TILE_ROWS);
        assertFalse(KernelWarmUp.ROWS % 8 == 0, "rows past the last multiple of 8 go to the plain-Java code");
    }

    @Test
    void smallPassesRunInPlainJavaUntilTheirShareStartsTheWarmUpAndItEnds() throws InterruptedException {
        // A shape and outputs no other test uses, so that its vector code is cold in this JVM.
        int d = 3;
        int k = 8;
        EnumSet<Output> outputs = EnumSet.of(Output.LOSS, Output.DW, Output.DX);
        assertEquals(BlockKernel.Path.FUSED_VECTOR, BlockKernel.Path.of(d, k), "the tests' JVM has the Vector API");
        long small = KernelWarmUp.MIN_WORK / 4;
        assertEquals(BlockKernel.Path.FUSED_VECTOR,
                KernelWarmUp.pathFor(d, k, outputs, false, KernelWarmUp.MIN_WORK, 1),
                "a pass worth the warm-up runs on the Vector API at once");
        // Three small passes: plain Java, and no warm-up yet.
        for (int pass = 0; pass < 3; pass++) {
            assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(d, k, outputs, false, small, small));
        }
        assertFalse(KernelWarmUp.started(d, k, outputs, false));
        // float32 blocks go through code of their own: their plain-Java work is counted apart.
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(d, k, outputs, true, small, small));
        assertFalse(KernelWarmUp.started(d, k, outputs, true));
        // The fourth brings this JVM's plain-Java work to MIN_WORK: the warm-up starts (and a second start is refused).
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(d, k, outputs, false, small, small));
        assertTrue(KernelWarmUp.started(d, k, outputs, false));
        assertFalse(KernelWarmUp.started(d, k, outputs, true));
        assertNull(KernelWarmUp.start(d, k, outputs));
        // Once it has ended, small passes run on the Vector API too; float32 blocks still wait for their own.
        long waited = 0;
        while (KernelWarmUp.pathFor(d, k, outputs, false, small, 0) != BlockKernel.Path.FUSED_VECTOR
                && waited < 120_000) {
            Thread.sleep(50);
            waited += 50;
        }
        assertEquals(BlockKernel.Path.FUSED_VECTOR, KernelWarmUp.pathFor(d, k, outputs, false, small, small));
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(d, k, outputs, true, small, 0));
        // A width the fused kernel leaves to BLAS stays there, whatever the work.
        assertEquals(BlockKernel.Path.BLAS, KernelWarmUp.pathFor(512, 8, outputs, false, 1, 1));
    }
}
