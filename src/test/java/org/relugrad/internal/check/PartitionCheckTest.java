package org.relugrad.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.relugrad.SharedSpark;
import org.relugrad.internal.io.synthetic.SyntheticInput;
import org.relugrad.internal.engine.GradientJob;
import org.relugrad.internal.engine.GradientResult;
import org.relugrad.Matrix;

/** check --partitions: the same input at two partitionings must give loss and dW to the bit. */
class PartitionCheckTest extends SharedSpark {

    @Test
    void twoPartitioningsOfAMillionRowsAgreeToTheBit() {
        CheckReport report = new GradientCheck(new GradientJob(sc), 1000)
                .partitions(new SyntheticInput(1_000_000, 5, 3, 4), 1, 7);
        assertTrue(report.passed(), () -> report.toMap().toString());
        assertEquals(List.of(1, 7), report.about().get("partitions"));
        assertEquals(List.of("loss", "dW"), report.tensors().stream().map(TensorComparison::tensor).toList());
    }

    @Test
    void resultsOneUlpApartFailAndNameTheTensor() {
        GradientResult a = result(10.0, new double[] {1.0, 2.0, 3.0, 4.0});
        assertTrue(GradientCheck.compareBitwise(a, result(10.0, new double[] {1.0, 2.0, 3.0, 4.0}))
                .stream().allMatch(TensorComparison::passed));

        List<TensorComparison> dW = GradientCheck.compareBitwise(a, result(10.0,
                new double[] {1.0, 2.0, Math.nextUp(3.0), 4.0}));
        assertTrue(dW.get(0).passed());
        assertEquals(1, dW.get(1).failing());
        assertEquals(1, dW.get(1).worstRow());
        assertEquals(0, dW.get(1).worstCol());

        List<TensorComparison> loss = GradientCheck.compareBitwise(a, result(Math.nextDown(10.0),
                new double[] {1.0, 2.0, 3.0, 4.0}));
        assertEquals(1, loss.get(0).failing());
        assertTrue(loss.get(1).passed());
    }

    private static GradientResult result(double loss, double[] dW) {
        return new GradientResult(loss, new Matrix(2, 2, dW), null, 100, 2, 2, 1, 10, List.of("test"), List.of("test"),
                Map.of(), List.of(0.1), false, "driver");
    }
}
