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
    void passesRunInPlainJavaUntilTheWarmUpHasEnded() throws InterruptedException {
        // Shapes and outputs no other test uses, so that their vector code is cold in this JVM.
        EnumSet<Output> outputs = EnumSet.of(Output.LOSS, Output.DW, Output.DX);
        assertEquals(BlockKernel.Path.FUSED_VECTOR, BlockKernel.Path.of(3, 8), "the tests' JVM has the Vector API");
        long small = KernelWarmUp.MIN_WORK / 4;
        // Small passes: plain Java, and no warm-up, until they add up to MIN_WORK.
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(3, 8, outputs, small, small));
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(3, 8, outputs, small, small));
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(3, 8, outputs, small, small));
        assertFalse(KernelWarmUp.warm(3, 8, outputs));
        assertNotNull(KernelWarmUp.start(3, 8, EnumSet.of(Output.DW, Output.DY)), "other outputs: a warm-up of their own");
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(3, 8, outputs, small, small));
        assertNull(KernelWarmUp.start(3, 8, outputs), "the fourth small pass started the warm-up");
        // A large pass: plain Java too, while its warm-up runs.
        assertEquals(BlockKernel.Path.FUSED_PLAIN, KernelWarmUp.pathFor(5, 8, outputs, KernelWarmUp.MIN_WORK, 1));
        assertNull(KernelWarmUp.start(5, 8, outputs), "a large pass started the warm-up at once");
        // Once a warm-up has ended, every pass runs on the Vector API.
        for (int shape : new int[] {3, 5}) {
            long waited = 0;
            while (!KernelWarmUp.warm(shape, 8, outputs) && waited < 120_000) {
                Thread.sleep(50);
                waited += 50;
            }
            assertTrue(KernelWarmUp.warm(shape, 8, EnumSet.of(Output.DX, Output.DW)), "the loss is always computed");
            assertEquals(BlockKernel.Path.FUSED_VECTOR, KernelWarmUp.pathFor(shape, 8, outputs, 1, 1));
        }
        // A width the fused kernel leaves to BLAS stays there, whatever the work.
        assertEquals(BlockKernel.Path.BLAS, KernelWarmUp.pathFor(512, 8, outputs, 1, 1));
    }
}
