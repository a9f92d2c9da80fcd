package org.relugrad.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenBLAS in the jar: where it is extracted to, and that the kernel's products run on a native BLAS. */
class BundledBlasTest {
    private static final String RESOURCES = "/org/bytedeco/openblas/linux-x86_64/";
    private static final List<String> LIBRARIES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    @TempDir
    Path cache;

    @Test
    void extractsTheLibrariesAsTheyAreInTheJarIntoOneFolderNamedByVersionAndContent() throws IOException {
        Path folder = BundledBlas.extract(cache);
        assertEquals(cache, folder.getParent());
        assertTrue(folder.getFileName().toString().matches("openblas-0\\.3\\.31-[0-9a-f]+"), folder.toString());
        for (String library : LIBRARIES) {
            try (InputStream in = BundledBlasTest.class.getResourceAsStream(RESOURCES + library)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(folder.resolve(library)), library);
            }
        }
        assertEquals(List.of(folder), list(cache), "nothing but the finished folder");
    }

    @Test
    void aSecondExtractionFindsTheFirstAndWritesNothing() throws IOException {
        Path first = BundledBlas.extract(cache);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first.resolve("libopenblas.so.0"), written);
        assertEquals(first, BundledBlas.extract(cache));
        assertEquals(written, Files.getLastModifiedTime(first.resolve("libopenblas.so.0")));
    }

    @Test
    void jvmsExtractingAtOnceLeaveOneCompleteFolder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> folders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                folders.add(pool.submit(() -> BundledBlas.extract(cache)));
            }
            Path folder = folders.get(0).get();
            for (Future<Path> f : folders) {
                assertEquals(folder, f.get());
            }
            assertEquals(List.of(folder), list(cache));
            for (String library : LIBRARIES) {
                try (InputStream in = BundledBlasTest.class.getResourceAsStream(RESOURCES + library)) {
                    assertEquals(in.readAllBytes().length, Files.size(folder.resolve(library)), library);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findsTheCLibraryAndNotAMissingOne() {
        assertTrue(BundledBlas.systemHas("libc.so.6"));
        assertFalse(BundledBlas.systemHas("librelugrad-missing.so.9"));
    }

    /** The dynamic linker's own list decides which BLAS is expected; either way the products run natively. */
    @Test
    void theProductsRunOnTheSystemBlasWhereTheLinkerListsOneElseOnTheBundledOpenBlas() throws Exception {
        Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
        String listed = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ldconfig.waitFor());
        String expected = listed.contains("libblas.so.3 ") ? "system libblas.so.3 (JNIBLAS)"
                : "OpenBLAS 0.3.31 (bundled)";
        assertEquals(expected, Blas.implementation());

        double[] x = {1, 2, 3, 4, 5, 6};
        double[] w = {1, -1, 0.5, 2, 0, 3};
        double[] z = new double[4];
        Blas.xw(2, 3, 2, x, w, z);
        // By hand: [1 2 3; 4 5 6] · [1 -1; 0.5 2; 0 3].
        assertArrayEquals(new double[] {2, 12, 6.5, 24}, z);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.toList();
        }
    }
}
