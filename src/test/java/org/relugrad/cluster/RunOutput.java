package org.relugrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished run's output folder, compared to the bit. Every number is written with Double.toString, the shortest
 * text that reads back as the same double, so two outputs hold the same bits exactly when their texts are equal.
 */
record RunOutput(Path dir) {
    JsonNode summary() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    /** The loss as written: its digits, compared as text. */
    String lossText() throws IOException {
        String json = Files.readString(dir.resolve("summary.json"));
        int at = json.indexOf("\"loss\": ") + "\"loss\": ".length();
        return json.substring(at, json.indexOf(',', at));
    }

    List<Path> parts(String tensor) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(tensor))) {
            return files.sorted().toList();
        }
    }

    /**
     * Checks that the parts of {@code tensor}, read in name order, hold rows 0 .. n−1, each exactly once and in
     * order, each with {@code cols} values.
     */
    void assertEveryRowOnce(String tensor, long n, int cols) throws IOException {
        long next = 0;
        for (Path part : parts(tensor)) {
            try (BufferedReader in = Files.newBufferedReader(part)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    long row = Long.parseLong(line.substring(0, line.indexOf(',')));
                    if (row != next) {
                        throw new AssertionError(part + ": row " + row + " where row " + next + " belongs");
                    }
                    if (line.chars().filter(c -> c == ',').count() != cols) {
                        throw new AssertionError(part + ": row " + row + " does not hold " + cols + " values");
                    }
                    next++;
                }
            }
        }
        assertEquals(n, next, tensor + ": rows written");
    }

    /** Loss, dW, and every row of dX and dY identical to the bit to {@code other}'s, part file by part file. */
    void assertSameBitsAs(RunOutput other) throws IOException {
        assertEquals(other.lossText(), lossText(), "loss");
        assertSameBytes(other.dir.resolve("dW.csv"), dir.resolve("dW.csv"));
        for (String tensor : List.of("dX", "dY")) {
            List<Path> expected = other.parts(tensor);
            List<Path> actual = parts(tensor);
            assertEquals(expected.stream().map(Path::getFileName).toList(),
                    actual.stream().map(Path::getFileName).toList(), tensor + " part files");
            for (int i = 0; i < expected.size(); i++) {
                assertSameBytes(expected.get(i), actual.get(i));
            }
        }
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        long at = Files.mismatch(expected, actual);
        assertTrue(at == -1, actual + " differs from " + expected + " at byte " + at);
    }
}
