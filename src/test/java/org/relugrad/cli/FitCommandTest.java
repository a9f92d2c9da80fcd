package org.relugrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relugrad.NaiveGradient;
import org.relugrad.NpyFile;
import org.relugrad.SharedSpark;
import org.relugrad.internal.fit.PlantedProblem;
import org.relugrad.Matrix;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** relugrad fit end to end in-process: the planted problem against SciPy, partitions, outputs, bad input. */
class FitCommandTest extends SharedSpark {
    @TempDir
    static Path tmp;
    private static PlantedProblem planted;

    @BeforeAll
    static void writePlantedProblem() {
        planted = PlantedProblem.ofScipyReference();
        NpyFile.write(tmp.resolve("X.npy"), planted.x);
        NpyFile.write(tmp.resolve("Y.npy"), planted.y);
        NpyFile.write(tmp.resolve("W0.npy"), planted.w0);
    }

    private CliRun fit(String out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("fit", "--x", tmp.resolve("X.npy").toString(),
                "--y", tmp.resolve("Y.npy").toString(), "--out", tmp.resolve(out).toString()));
        args.addAll(List.of(more));
        return CliRun.of(sc, args.toArray(String[]::new));
    }

    @Test
    void recoversThePlantedWAndReachesSciPysLoss() throws Exception {
        CliRun run = fit("planted", "--w", tmp.resolve("W0.npy").toString(), "--tol", "1e-10", "--partitions", "3");
        assertEquals(0, run.exit(), run.err());
        Path dir = tmp.resolve("planted");
        Matrix w = NpyFile.read(dir.resolve("W.npy"));
        double error = NaiveGradient.relativeError(w, planted.wStar);
        assertTrue(error <= 0.02, "relative error to W*: " + error);
        String summary = Files.readString(dir.resolve("summary.json"));
        String reference = Files.readString(Path.of(getClass().getResource("/fit/planted_scipy.json").toURI()));
        double loss = number(summary, "loss");
        double scipy = number(reference, "loss");
        assertTrue(loss <= scipy * (1 + 1e-6), loss + " vs SciPy's " + scipy);
        // The loss written is f at the W written, as the naive loop computes it.
        NaiveGradient naive = new NaiveGradient(planted.x, w, planted.y);
        assertEquals(naive.loss, loss, 1e-12 * loss);
        int iterations = (int) number(summary, "iterations");
        assertEquals(iterations + 1, list(summary, "lossHistory").length);
        assertEquals(iterations + 1, list(summary, "gradientNormHistory").length);
        assertTrue(summary.contains("\"stopReason\": \"functionValuesConverged\"")
                || summary.contains("\"stopReason\": \"gradientConverged\""), summary);
        for (int i = 0; i <= iterations; i++) {
            assertTrue(run.out().contains("iteration " + i + "  loss "), "no line for iteration " + i);
        }
        System.out.printf("planted: %d iterations, loss %s (SciPy %s), relative error to W* %.3e%n", iterations,
                loss, scipy, error);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("W.npy", "arguments.txt", "loss.svg", "summary.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertPlotShows(dir.resolve("loss.svg"), list(summary, "lossHistory"));
    }

    @Test
    void wAfterTwentyIterationsIsTheSameBitsAtOneThreeAndEightPartitions() throws IOException {
        byte[] first = null;
        String summary = null;
        for (String p : new String[] {"1", "3", "8"}) {
            // Y is noise here, with no W that fits it: L-BFGS takes many iterations and stops at the limit.
            CliRun run = CliRun.of(sc, "fit", "--generate", "200000,8,4,5", "--max-iter", "20", "--tol", "0",
                    "--partitions", p, "--out", tmp.resolve("parts" + p).toString());
            assertEquals(0, run.exit(), run.err());
            summary = Files.readString(tmp.resolve("parts" + p).resolve("summary.json"));
            assertEquals(20, (int) number(summary, "iterations"), summary);
            assertTrue(summary.contains("\"stopReason\": \"maxIterations\""));
            byte[] w = Files.readAllBytes(tmp.resolve("parts" + p).resolve("W.csv"));
            if (first == null) {
                first = w;
            } else {
                assertArrayEquals(first, w, p + " partitions");
            }
        }
        // The same bits could be the same wrong ones: the fit against the naive float64 loop over the rows of
        // --generate 200000,8,4,5, made from the JDK's SplittableRandom as the generator documents (X seed 5, W0
        // (the input's W) seed 6, Y seed 7).
        Matrix x = NaiveGradient.generated(5, 200_000, 8);
        Matrix y = NaiveGradient.generated(7, 200_000, 4);
        Matrix w0 = NaiveGradient.generated(6, 8, 4);
        Matrix w = org.relugrad.Fixture.matrixAt(tmp.resolve("parts8").resolve("W.csv"));
        NaiveGradient atW0 = new NaiveGradient(x, w0, y);
        NaiveGradient atW = new NaiveGradient(x, w, y);
        double[] losses = list(summary, "lossHistory");
        double[] norms = list(summary, "gradientNormHistory");
        assertEquals(21, losses.length);
        assertEquals(atW0.loss, losses[0], 1e-12 * atW0.loss, "f at W0");
        assertEquals(atW.loss, number(summary, "loss"), 1e-12 * atW.loss, "f at the W written");
        assertEquals(atW.loss, losses[20], 1e-12 * atW.loss, "the history's last f, at the W written");
        // With l2 = 0 the objective's gradient is dW.
        assertEquals(frobenius(atW0.dW), norms[0], 1e-12 * frobenius(atW0.dW), "gradient norm at W0");
        assertEquals(frobenius(atW.dW), norms[20], 1e-12 * frobenius(atW.dW), "gradient norm at the W written");
        assertTrue(atW.loss < atW0.loss, "20 iterations lowered f: " + atW0.loss + " to " + atW.loss);
    }

    @Test
    void aW0FarFromAnyFitStillTakesItsFirstStep() throws IOException {
        // W0 a thousand times the planted one: the minimum along −∂f lies thousands of 1/‖∂f‖ away, beyond where
        // a first line search started at 1/‖∂f‖ and grown 1.5 times ten times can reach.
        double[] far = planted.w0.values().clone();
        for (int i = 0; i < far.length; i++) {
            far[i] *= 1000;
        }
        Matrix w0 = new Matrix(planted.w0.rows(), planted.w0.cols(), far);
        NpyFile.write(tmp.resolve("W0far.npy"), w0);
        CliRun run = fit("far", "--w", tmp.resolve("W0far.npy").toString(), "--max-iter", "3", "--tol", "0");
        assertEquals(0, run.exit(), run.err());
        String summary = Files.readString(tmp.resolve("far").resolve("summary.json"));
        assertTrue(summary.contains("\"stopReason\": \"maxIterations\""), summary);
        assertEquals(3, (int) number(summary, "iterations"), summary);
        Matrix w = NpyFile.read(tmp.resolve("far").resolve("W.npy"));
        NaiveGradient atW0 = new NaiveGradient(planted.x, w0, planted.y);
        NaiveGradient atW = new NaiveGradient(planted.x, w, planted.y);
        assertTrue(atW.loss < 0.01 * atW0.loss, "f from " + atW0.loss + " to " + atW.loss + " in 3 iterations");
    }

    private static double frobenius(Matrix m) {
        double s = 0;
        for (double v : m.values()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void initZerosStopsAtOnceAndARandomW0IsKeptInTheFolder() throws IOException {
        Path seed = Path.of(org.relugrad.Fixture.path("seed", "X.npy").toString()).getParent();
        CliRun zeros = CliRun.of(sc, "fit", "--x", seed.resolve("X.npy").toString(), "--y",
                seed.resolve("Y.npy").toString(), "--init", "zeros", "--out", tmp.resolve("zeros").toString());
        assertEquals(0, zeros.exit(), zeros.err());
        String summary = Files.readString(tmp.resolve("zeros/summary.json"));
        // W = 0 gives every z = 0, where ReLU' = 0: no gradient at all.
        assertTrue(summary.contains("\"iterations\": 0,") && summary.contains("\"stopReason\": \"gradientConverged\""),
                summary);
        assertArrayEquals(new double[16], NpyFile.read(tmp.resolve("zeros/W.npy")).values());

        CliRun random = CliRun.of(sc, "fit", "--x", seed.resolve("X.npy").toString(), "--y",
                seed.resolve("Y.npy").toString(), "--init", "random:9", "--max-iter", "3", "--out",
                tmp.resolve("random").toString());
        assertEquals(0, random.exit(), random.err());
        double[] w0 = NpyFile.read(tmp.resolve("random/W0.npy")).values();
        for (int i = 0; i < 16; i++) {
            // Entry i of stream 9 (the JDK's SplittableRandom(9), as the generator documents), over √d = 2.
            assertEquals((2 * nthDouble(9, i) - 1) / 2, w0[i]);
        }
        double[] losses = list(Files.readString(tmp.resolve("random/summary.json")), "lossHistory");
        assertEquals(new NaiveGradient(org.relugrad.Fixture.matrix("seed", "X.csv"), new Matrix(4, 4, w0),
                org.relugrad.Fixture.matrix("seed", "Y.csv")).loss, losses[0], 1e-12 * losses[0]);
    }

    private static double nthDouble(long seed, int index) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double u = 0;
        for (int i = 0; i <= index; i++) {
            u = random.nextDouble();
        }
        return u;
    }

    static void assertPlotShows(Path svg, double[] losses) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        Element line = null;
        NodeList polylines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        for (int i = 0; i < polylines.getLength(); i++) {
            if (((Element) polylines.item(i)).getAttribute("id").equals("loss")) {
                line = (Element) polylines.item(i);
            }
        }
        String[] points = line.getAttribute("points").trim().split(" ");
        assertEquals(losses.length, points.length);
        // The y axis is log-scale: each point's height is log10(loss) between the ticks of two powers of ten.
        NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        double lowLog = Double.NaN;
        double lowY = Double.NaN;
        double highLog = Double.NaN;
        double highY = Double.NaN;
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.hasAttribute("data-log10")) {
                double log = Double.parseDouble(t.getAttribute("data-log10"));
                double y = Double.parseDouble(t.getAttribute("y")) - 4;
                if (Double.isNaN(lowLog) || log < lowLog) {
                    lowLog = log;
                    lowY = y;
                }
                if (Double.isNaN(highLog) || log > highLog) {
                    highLog = log;
                    highY = y;
                }
            }
        }
        for (int i = 0; i < points.length; i++) {
            double y = Double.parseDouble(points[i].split(",")[1]);
            double expected = lowY + (Math.log10(losses[i]) - lowLog) / (highLog - lowLog) * (highY - lowY);
            assertEquals(expected, y, 0.02, "point " + i);
        }
        double x0 = Double.parseDouble(points[0].split(",")[0]);
        double x1 = Double.parseDouble(points[points.length - 1].split(",")[0]);
        assertTrue(x1 > x0);
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    static double[] list(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), "no " + key + " in " + json);
        String[] parts = m.group(1).split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i].trim());
        }
        return values;
    }
}
