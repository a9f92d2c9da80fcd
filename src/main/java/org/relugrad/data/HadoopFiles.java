package org.relugrad.data;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Opening the user's files by Hadoop path (file:, hdfs:, s3a:, or a plain local path). */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /** The file system of {@code path}, with checksum side files off (they would litter local outputs). */
    public static FileSystem fileSystem(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            fs.setWriteChecksum(false);
            fs.setVerifyChecksum(false);
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code file} exists, is a file or a folder of part files, and is not empty.
     *
     * @throws InputException otherwise
     */
    public static void requireNonEmpty(String file, Configuration conf) {
        Path path = new Path(file);
        FileSystem fs = fileSystem(path, conf);
        try {
            FileStatus status = fs.getFileStatus(path);
            long bytes = status.isDirectory() ? fs.getContentSummary(path).getLength() : status.getLen();
            if (bytes == 0) {
                throw new InputException(file, 0, "the file is empty");
            }
        } catch (FileNotFoundException e) {
            throw new InputException(file, 0, "no such file");
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** The first line of a text file; null when {@code file} is a folder (of part files). */
    public static String firstLine(String file, Configuration conf) {
        Path path = new Path(file);
        try {
            if (fileSystem(path, conf).getFileStatus(path).isDirectory()) {
                return null;
            }
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
        try (BufferedReader in = openText(file, conf)) {
            return in.readLine();
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    /** Opens a text file for reading, as UTF-8, decompressing it as Spark's text reader would (.gz, .bz2, ...). */
    public static BufferedReader openText(String file, Configuration conf) {
        requireNonEmpty(file, conf);
        Path path = new Path(file);
        try {
            InputStream in = fileSystem(path, conf).open(path);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            if (codec != null) {
                in = codec.createInputStream(in);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be read: " + e.getMessage());
        }
    }
}
