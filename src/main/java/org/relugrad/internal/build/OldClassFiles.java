package org.relugrad.internal.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassVisitor;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.Opcodes;

/**
 * A build step, run by Maven after the application jar is shaded (pom.xml), not by relugrad: rewrites the jar's
 * class files older than Java 6 (picocli's, compiled for Java 5) as Java 8 class files, with the stack map frames
 * Java 6 and later verify by. The JVM's class archive (scripts/lib/class-archive.sh) leaves such old classes out,
 * so every run read, parsed and verified picocli's 170-odd classes from the jar, with the old, slower verifier;
 * rewritten, they are archived with the rest. The bytecode itself is unchanged.
 *
 * <p>{@code OldClassFiles JAR}: rewrites JAR in place.
 */
public final class OldClassFiles {
    /** Java 6's class file version: the first the archive takes, and the first with stack map frames. */
    static final int JAVA_6 = 50;

    private OldClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: OldClassFiles JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(jar); OutputStream out = Files.newOutputStream(tmp)) {
            rewrite(jar, in, out);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Copies the jar in to out, entry by entry in the same order, with every class file older than Java 6 rewritten;
     * the jar's own classes resolve the common superclasses the frames name. Returns how many were rewritten.
     */
    static int rewrite(Path jar, InputStream in, OutputStream out) throws IOException {
        int rewritten = 0;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    OldClassFiles.class.getClassLoader());
             ZipInputStream zin = new ZipInputStream(in); ZipOutputStream zout = new ZipOutputStream(out)) {
            ZipEntry entry;
            while ((entry = zin.getNextEntry()) != null) {
                byte[] bytes = zin.readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                        && version(bytes) < JAVA_6) {
                    bytes = asJava8(bytes, classes);
                    rewritten++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zout.putNextEntry(copy);
                zout.write(bytes);
                zout.closeEntry();
            }
        }
        return rewritten;
    }

    /** A class file's major version (bytes 6 and 7). */
    static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    /** The class, its version set to Java 8's and its stack map frames computed. */
    static byte[] asJava8(byte[] classFile, ClassLoader classes) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, 0);
        return writer.toByteArray();
    }
}
