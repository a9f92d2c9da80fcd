package org.relugrad.internal.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The build step that rewrites picocli's Java 5 class files, checked against picocli's own jar. */
class OldClassFilesTest {
    @TempDir
    Path tmp;

    /** Each entry of a jar, in order, with its bytes. */
    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** The major version in a class file's header: bytes 6 and 7, big-endian. */
    private static int major(byte[] classFile) {
        return (classFile[6] & 0xff) * 256 + (classFile[7] & 0xff);
    }

    private Path rewritten(Path original) throws IOException {
        Path jar = tmp.resolve("rewritten.jar");
        try (InputStream in = Files.newInputStream(original); OutputStream out = Files.newOutputStream(jar)) {
            OldClassFiles.rewrite(original, in, out);
        }
        return jar;
    }

    /** picocli's jar, as Maven resolved it (a Java 5 build: class files of version 49). */
    private static Path picocliJar() throws Exception {
        return Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void picocliIsRewrittenAsJava8ClassFilesAndTheRestIsCopied() throws Exception {
        Path original = picocliJar();
        Map<String, byte[]> before = entries(original);
        Map<String, byte[]> after = entries(rewritten(original));
        assertEquals(new ArrayList<>(before.keySet()), new ArrayList<>(after.keySet()), "the same entries, in order");
        int old = 0;
        for (Map.Entry<String, byte[]> entry : before.entrySet()) {
            String name = entry.getKey();
            byte[] bytes = entry.getValue();
            if (name.endsWith(".class") && !name.startsWith("META-INF/") && major(bytes) < 50) {
                old++;
                assertEquals(52, major(after.get(name)), name);
            } else {
                assertArrayEquals(bytes, after.get(name), name + " copied as it was");
            }
        }
        assertTrue(old > 100, "picocli's classes are Java 5 class files: " + old);
    }

    @Test
    void theRewrittenClassesVerifyAndParseAsPicocliDoes() throws Exception {
        Path original = picocliJar();
        Path rewritten = rewritten(original);
        // Every class links (so Java 8's type-checking verifier accepts its frames) and initializes.
        List<String> classes = entries(rewritten).keySet().stream()
                .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
        try (URLClassLoader loader = isolated(rewritten)) {
            for (String name : classes) {
                assertEquals(loader, Class.forName(name, true, loader).getClassLoader(), name);
            }
        }
        // The same command line, parsed by the original classes and by the rewritten ones.
        try (URLClassLoader before = isolated(original); URLClassLoader after = isolated(rewritten)) {
            assertEquals(List.of(42, "usage: relugrad-test [-n=param]"), parse(before));
            assertEquals(parse(before), parse(after));
        }
    }

    private static URLClassLoader isolated(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    /** Through picocli's programmatic API, loaded by the given loader: "-n 42" parsed, and the usage line. */
    private static List<Object> parse(ClassLoader loader) throws Exception {
        Class<?> specClass = loader.loadClass("picocli.CommandLine$Model$CommandSpec");
        Class<?> optionClass = loader.loadClass("picocli.CommandLine$Model$OptionSpec");
        Object spec = specClass.getMethod("create").invoke(null);
        specClass.getMethod("name", String.class).invoke(spec, "relugrad-test");
        Object builder = optionClass.getMethod("builder", String.class, String[].class).invoke(null, "-n",
                new String[0]);
        // Declared by a package-private superclass of the public builder.
        Method type = builder.getClass().getMethod("type", Class.class);
        type.setAccessible(true);
        type.invoke(builder, int.class);
        specClass.getMethod("addOption", optionClass).invoke(spec, builder.getClass().getMethod("build")
                .invoke(builder));
        Class<?> commandLineClass = loader.loadClass("picocli.CommandLine");
        Object commandLine = commandLineClass.getConstructor(Object.class).newInstance(spec);
        Object result = commandLineClass.getMethod("parseArgs", String[].class).invoke(commandLine,
                (Object) new String[] {"-n", "42"});
        Object n = result.getClass().getMethod("matchedOptionValue", String.class, Object.class).invoke(result, "-n",
                0);
        String usage = (String) commandLineClass.getMethod("getUsageMessage").invoke(commandLine);
        return List.of(n, usage.lines().findFirst().orElseThrow().strip().toLowerCase());
    }
}
