package org.relugrad.internal.io;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Opening the user's files by Hadoop path (file:, hdfs:, s3a:, or a plain local path). */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /**
     * The file system of {@code path}. On the local file system without checksum side files: .crc files would
     * litter local outputs. Elsewhere checksums stay on: they are how an HDFS client finds a corrupt replica of a
     * block and reads another one instead of wrong numbers (the setting holds for every user of the cached file
     * system, Parquet's reader too).
     */
    public static FileSystem fileSystem(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs instanceof ChecksumFileSystem) {
                fs.setWriteChecksum(false);
                fs.setVerifyChecksum(false);
            }
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files of a text input in row order: {@code name} itself when it is a file, else the files of the folder
     * {@code name} in name order (part-00000, part-00001, ...), leaving out hidden ones (_SUCCESS, .crc).
     *
     * @throws InputException when it does not exist, holds a subfolder, or has no data at all
     */
    public static List<TextFile> listText(String name, Configuration conf) {
        try {
            List<TextFile> files = listData(name, conf, "", "give a file or a folder of files");
            if (files.stream().mapToLong(TextFile::bytes).sum() == 0) {
                // A folder's files are named below it; only a plain file is listed under the input's own name.
                boolean plainFile = files.size() == 1 && files.get(0).name().equals(name);
                throw new InputException(name, 0, plainFile ? "the file is empty" : "the folder holds no data");
            }
            return files;
        } catch (FileNotFoundException e) {
            throw new InputException(name, 0, "no such file");
        } catch (IOException e) {
            throw new InputException(name, 0, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * The data files of an input, a file or a folder of files: {@code name} itself when it is a file, else the
     * folder's files in name order, leaving out hidden ones ({@code _SUCCESS}, {@code .crc}); possibly none.
     *
     * @param problem what an error about a subfolder starts with (the format's words, or "")
     * @param advice what such an error tells the user to give instead
     * @throws InputException when the folder holds a subfolder
     * @throws IOException when {@code name} cannot be listed (FileNotFoundException: it does not exist)
     */
    public static List<TextFile> listData(String name, Configuration conf, String problem, String advice)
            throws IOException {
        Path path = new Path(name);
        FileSystem fs = fileSystem(path, conf);
        FileStatus status = fs.getFileStatus(path);
        List<TextFile> files = new ArrayList<>();
        if (!status.isDirectory()) {
            files.add(new TextFile(status.getPath().toString(), name, status.getLen()));
            return files;
        }
        FileStatus[] children = fs.listStatus(path);
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        for (FileStatus child : children) {
            String childName = child.getPath().getName();
            if (childName.startsWith("_") || childName.startsWith(".")) {
                continue;
            }
            if (child.isDirectory()) {
                throw new InputException(name, 0, problem + "the folder holds a subfolder, '" + childName + "'; "
                        + advice);
            }
            files.add(new TextFile(child.getPath().toString(), name + (name.endsWith("/") ? "" : "/") + childName,
                    child.getLen()));
        }
        return files;
    }

    /** The first line of the first non-empty file of a text input. */
    public static String firstLine(List<TextFile> files, Configuration conf) {
        for (TextFile file : files) {
            if (file.bytes() > 0) {
                try (BufferedReader in = open(file.path(), file.name(), conf)) {
                    return in.readLine();
                } catch (IOException e) {
                    throw new InputException(file.name(), 0, "cannot be read: " + e.getMessage());
                }
            }
        }
        return null;
    }

    /** Opens one text file for reading, as UTF-8, decompressing it as Spark's text reader would (.gz, .bz2, ...). */
    public static BufferedReader openText(String name, Configuration conf) {
        List<TextFile> files = listText(name, conf);
        if (files.size() != 1 || !files.get(0).name().equals(name)) {
            throw new InputException(name, 0, "is a folder; give a file");
        }
        return open(files.get(0).path(), name, conf);
    }

    private static BufferedReader open(String pathName, String name, Configuration conf) {
        Path path = new Path(pathName);
        InputStream in = null;
        try {
            in = fileSystem(path, conf).open(path);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            if (codec != null) {
                in = codec.createInputStream(in);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new InputException(name, 0, "cannot be read: " + e.getMessage());
        }
    }
}
