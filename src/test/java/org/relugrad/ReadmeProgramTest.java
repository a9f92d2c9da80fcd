package org.relugrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program of the documentation's "As a library" page, taken from src/site/markdown/library.md as it stands,
 * compiled against the test classpath and run: it must print the seed fixture's loss, PyTorch's, and the losses of
 * its gradient steps as the naive loop computes them.
 */
class ReadmeProgramTest {
    @TempDir
    Path tmp;

    private static Path projectDir() {
        return Path.of(System.getProperty("relugrad.project.dir", "."));
    }

    /** The page that holds the program. */
    static final String PAGE = "src/site/markdown/library.md";

    /** The first java block after the heading "# As a library". */
    static String program(String page) {
        Matcher heading = Pattern.compile("(?m)^# As a library$").matcher(page);
        assertTrue(heading.find(), PAGE + " has no heading \"# As a library\"");
        int start = page.indexOf("```java\n", heading.end());
        int end = page.indexOf("\n```\n", start);
        assertTrue(start >= 0 && end > start, "the page has no java block");
        return page.substring(start + "```java\n".length(), end + 1);
    }

    @Test
    void libraryPageProgramPrintsTheSeedLossAndFallingLosses() throws Exception {
        String source = program(Files.readString(projectDir().resolve(PAGE)));
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the program has no public class");
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(name.group(1) + ".java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        compile(src, classes);

        String printed = run(classes, name.group(1),
                projectDir().resolve("src/test/resources/fixtures/seed").toString());

        List<Double> losses = new ArrayList<>();
        Matcher loss = Pattern.compile("(?m)^(?:step \\d+: )?loss = (\\S+)$").matcher(printed);
        while (loss.find()) {
            losses.add(Double.parseDouble(loss.group(1)));
        }
        assertTrue(losses.size() >= 2, "no losses printed:\n" + printed);
        double numpy = Double.parseDouble(Fixture.text("seed", "loss.txt").trim());
        assertEquals(numpy, losses.get(0), 0.0, "the float64 loss (NumPy's, and PyTorch's float64 autograd's)");
        double torch32 = torchFloat32Loss();
        assertEquals(torch32, losses.get(0), 1e-6 * torch32, "PyTorch's float32 loss");

        Matcher step = Pattern.compile("next\\[i] -= ([0-9.eE+-]+) \\* g\\.dW\\(\\)").matcher(source);
        assertTrue(step.find(), "the program's step size");
        double rate = Double.parseDouble(step.group(1));
        Fixture f = Fixture.load("seed");
        Matrix w = f.w();
        for (int s = 1; s < losses.size(); s++) {
            Matrix dW = new NaiveGradient(f.x(), w, f.y()).dW;
            double[] next = w.values().clone();
            for (int i = 0; i < next.length; i++) {
                next[i] -= rate * dW.values()[i];
            }
            w = new Matrix(w.rows(), w.cols(), next);
            double expected = new NaiveGradient(f.x(), w, f.y()).loss;
            assertEquals(expected, losses.get(s), 1e-12 * expected, "step " + s);
            assertTrue(losses.get(s) < losses.get(s - 1), "the loss falls at step " + s);
        }
    }

    private static double torchFloat32Loss() {
        Matcher m = Pattern.compile("\"loss\": ([0-9.eE+-]+)").matcher(Fixture.text("seed", "expected_float32_torch.json"));
        assertTrue(m.find());
        return Double.parseDouble(m.group(1));
    }

    private static void compile(Path source, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null,
                List.of("-classpath", classpath, "-d", classes.toString(), "-proc:none"), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        assertTrue(ok, "the program of " + PAGE + " does not compile:\n" + errors);
    }

    /** Runs {@code main} in this JVM and returns what it printed on stdout. */
    private static String run(Path classes, String className, String... args) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeProgramTest.class.getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        stdout.print(printed);
        return printed;
    }
}
