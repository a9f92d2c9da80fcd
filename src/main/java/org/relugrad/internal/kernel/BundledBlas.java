package org.relugrad.internal.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The OpenBLAS that comes inside relugrad's jar (from org.bytedeco:openblas, Linux x86-64), for machines that have
 * no native BLAS of their own. {@link #install} copies it out of the classpath into a per-user cache folder and
 * points dev.ludovic.netlib at it through its documented property, {@value #LIB_PATH_PROPERTY}, so that netlib's
 * JNIBLAS runs on it instead of falling back to Java. It must run before netlib's BLAS is first created, in every
 * JVM that computes blocks: {@link Blas} calls it when it is loaded, on the driver and on every executor.
 *
 * <p>Nothing happens where netlib would find a system BLAS ({@value #SYSTEM_LIB}: the system's BLAS, as installed,
 * wins), where one of netlib's properties is already set (the user chose), or on other platforms.
 */
final class BundledBlas {
    static final String LIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String LIB_NAME_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";
    /** The library netlib opens when neither property is set. */
    static final String SYSTEM_LIB = "libblas.so.3";
    private static final String RESOURCES = "/org/bytedeco/openblas/linux-x86_64/";
    /**
     * libopenblas finds libgfortran beside it (its RUNPATH is $ORIGIN), but libgfortran looks for libquadmath only
     * where the system keeps libraries; loaded first, each is found by name when the next one needs it.
     */
    private static final List<String> LIBRARIES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");
    private static final String VERSION_RESOURCE = "/META-INF/maven/org.bytedeco/openblas/pom.properties";
    /** Where the dynamic linker looks after LD_LIBRARY_PATH and its cache (glibc, Debian's multiarch folders too). */
    private static final List<String> SYSTEM_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib");

    private BundledBlas() {
    }

    /**
     * Puts the bundled OpenBLAS where netlib will load it, unless the system has a BLAS or the user chose one.
     *
     * @return the library netlib's JNIBLAS will open: "OpenBLAS 0.3.31 (bundled)", the path or name that one of
     *     netlib's properties gives, or "system libblas.so.3" ("system BLAS" on other systems than Linux)
     * @throws UncheckedIOException when the bundled library cannot be extracted
     * @throws UnsatisfiedLinkError when it cannot be loaded
     */
    static String install() {
        String chosen = System.getProperty(LIB_PATH_PROPERTY, System.getProperty(LIB_NAME_PROPERTY));
        if (chosen != null) {
            return chosen;
        }
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return "system BLAS";
        }
        if (!"amd64".equals(System.getProperty("os.arch")) || systemHas(SYSTEM_LIB)
                || BundledBlas.class.getResource(RESOURCES + LIBRARIES.get(0)) == null) {
            return "system " + SYSTEM_LIB;
        }
        Path folder = extract(cacheRoot());
        for (String library : LIBRARIES) {
            System.load(folder.resolve(library).toString());
        }
        System.setProperty(LIB_PATH_PROPERTY, folder.resolve(LIBRARIES.get(LIBRARIES.size() - 1)).toString());
        return "OpenBLAS " + version() + " (bundled)";
    }

    /** Whether the dynamic linker would find {@code library} by name: in LD_LIBRARY_PATH, its cache or its folders. */
    static boolean systemHas(String library) {
        List<String> dirs = new ArrayList<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            dirs.addAll(List.of(ldPath.split(":")));
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, library))) {
                return true;
            }
        }
        try {
            // The cache, /etc/ld.so.cache, lists each library's name and path as zero-terminated strings.
            byte[] cache = Files.readAllBytes(Path.of("/etc/ld.so.cache"));
            return indexOf(cache, ("/" + library + "\0").getBytes(StandardCharsets.US_ASCII)) >= 0;
        } catch (IOException noCache) {
            return false;
        }
    }

    /**
     * The libraries in {@code root}/openblas-VERSION-HASH, extracted unless already there. The hash covers every
     * library's content, so another build never finds this one's files; the folder is written under a temporary
     * name and renamed at once, so a JVM (another executor, another run) sees it complete or not at all.
     */
    static Path extract(Path root) {
        try {
            Files.createDirectories(root);
            Path folder = root.resolve("openblas-" + version() + "-" + contentHash());
            if (Files.isDirectory(folder)) {
                return folder;
            }
            Path partial = Files.createTempDirectory(root, ".openblas-");
            try {
                for (String library : LIBRARIES) {
                    try (InputStream in = resource(library).openStream()) {
                        Files.copy(in, partial.resolve(library));
                    }
                }
                Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another JVM renamed its copy first; theirs is as good as ours.
                if (!Files.isDirectory(folder)) {
                    throw raced;
                }
            } finally {
                deleteTree(partial);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled OpenBLAS into " + root + ": " + e.getMessage(),
                    e);
        }
    }

    /** The user's cache folder ($XDG_CACHE_HOME or ~/.cache), else one of the user's own in the temporary folder. */
    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path cache = home.resolve("relugrad");
        try {
            Files.createDirectories(cache);
            if (Files.isWritable(cache)) {
                return cache;
            }
        } catch (IOException | SecurityException unwritable) {
            // An executor's user may have no home; the temporary folder serves.
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "relugrad-" + System.getProperty("user.name"));
    }

    /** CRC-32 and size of every library; a jar stores both, so they are read without inflating the files. */
    private static String contentHash() throws IOException {
        CRC32 hash = new CRC32();
        for (String library : LIBRARIES) {
            URLConnection connection = resource(library).openConnection();
            String entry;
            if (connection instanceof JarURLConnection jar) {
                entry = jar.getJarEntry().getCrc() + ":" + jar.getJarEntry().getSize();
            } else {
                CRC32 crc = new CRC32();
                try (InputStream in = connection.getInputStream()) {
                    crc.update(in.readAllBytes());
                }
                entry = crc.getValue() + ":" + connection.getContentLengthLong();
            }
            hash.update((library + "=" + entry + ";").getBytes(StandardCharsets.US_ASCII));
        }
        return Long.toHexString(hash.getValue());
    }

    /** OpenBLAS's own version, from the Maven version of the package (0.3.31 of 0.3.31-1.5.13). */
    private static String version() {
        try (InputStream in = BundledBlas.class.getResourceAsStream(VERSION_RESOURCE)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "unknown");
            int packaging = version.lastIndexOf('-');
            return packaging > 0 ? version.substring(0, packaging) : version;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static URL resource(String library) throws IOException {
        URL url = BundledBlas.class.getResource(RESOURCES + library);
        if (url == null) {
            throw new IOException(library + " is missing from the classpath");
        }
        return url;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
