package org.relugrad.internal.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a gradient check found: per tensor, its comparison with the expected values; per direction, its
 * finite-difference check. It passes when every comparison and every direction passes.
 */
public final class CheckReport {
    private final String mode;
    private final Map<String, Object> about;
    private final List<TensorComparison> tensors;
    private final List<DirectionCheck> directions;

    /**
     * @param mode which check ran: expected, fd or partitions
     * @param about what was checked and how (input, shape, settings), as plain values for the JSON report
     */
    CheckReport(String mode, Map<String, Object> about, List<TensorComparison> tensors,
                List<DirectionCheck> directions) {
        this.mode = mode;
        this.about = new LinkedHashMap<>(about);
        this.tensors = List.copyOf(tensors);
        this.directions = List.copyOf(directions);
    }

    public String mode() {
        return mode;
    }

    public Map<String, Object> about() {
        return about;
    }

    public List<TensorComparison> tensors() {
        return tensors;
    }

    public List<DirectionCheck> directions() {
        return directions;
    }

    public boolean passed() {
        return (!tensors.isEmpty() || !directions.isEmpty())
                && tensors.stream().allMatch(TensorComparison::passed)
                && directions.stream().allMatch(DirectionCheck::passed);
    }

    /** The tensors that failed, each once, in the order dW, dX, dY as met. */
    public List<String> failedTensors() {
        List<String> failed = new ArrayList<>();
        tensors.stream().filter(t -> !t.passed()).forEach(t -> addOnce(failed, t.tensor()));
        directions.stream().filter(d -> !d.passed()).forEach(d -> addOnce(failed, d.tensor()));
        return failed;
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) {
            list.add(s);
        }
    }

    /** The report as plain values (maps, lists, numbers, strings), for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("passed", passed());
        m.put("failed", failedTensors());
        m.putAll(about);
        if (!tensors.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (TensorComparison t : tensors) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("tensor", t.tensor());
                e.put("passed", t.passed());
                e.put("compared", t.compared());
                e.put("failing", t.failing());
                e.put("maxAbsError", t.maxAbs());
                e.put("maxRelError", t.maxRel());
                e.put("worst", List.of(t.worstRow(), t.worstCol()));
                e.put("worstGot", t.worstGot());
                e.put("worstExpected", t.worstExpected());
                if (t.tolerance() != null) {
                    e.put("rtol", t.tolerance().rtol());
                    e.put("atol", t.tolerance().atol());
                } else {
                    e.put("bitwise", true);
                }
                list.add(e);
            }
            m.put("tensors", list);
        }
        if (!directions.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (DirectionCheck d : directions) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("direction", d.direction());
                e.put("tensor", d.tensor());
                e.put("passed", d.passed());
                e.put("analytic", d.analytic());
                e.put("numeric", d.numeric());
                e.put("numericWithinPiece", d.numericWithinPiece());
                e.put("error", d.error());
                e.put("relativeError", d.relativeError());
                e.put("tolerance", d.tolerance());
                e.put("kinkCrossings", d.crossings());
                e.put("kinkBound", d.kinkBound());
                e.put("scale", d.scale());
                list.add(e);
            }
            m.put("directions", list);
        }
        return m;
    }
}
