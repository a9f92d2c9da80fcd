package org.relugrad.internal.io.out;

import org.relugrad.internal.io.HadoopFiles;
import org.relugrad.internal.io.InputException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A JSON report written to a file (any Hadoop path): written aside, then renamed, so it is whole or absent. */
public final class ReportFile {
    private ReportFile() {
    }

    /** @throws InputException when the file cannot be written */
    public static void write(String file, Map<String, ?> report, Configuration conf) {
        Path path = new Path(file);
        FileSystem fs = HadoopFiles.fileSystem(path, conf);
        Path aside = new Path(path.getParent() == null ? new Path(".") : path.getParent(), "." + path.getName() + ".tmp");
        try {
            if (fs.getFileStatus(path.getParent() == null ? new Path(".") : path.getParent()).isDirectory()
                    && fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
                throw new InputException(file, 0, "is a folder; give a file name for the report");
            }
            try (Writer out = new OutputStreamWriter(fs.create(aside, true), StandardCharsets.UTF_8)) {
                out.write(Json.object(report));
                out.write('\n');
            }
            fs.delete(path, false);
            if (!fs.rename(aside, path)) {
                throw new IOException("could not rename " + aside + " to " + path);
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InputException(file, 0, "cannot be written: its folder does not exist");
        } catch (IOException e) {
            throw new InputException(file, 0, "cannot be written: " + e.getMessage());
        }
    }
}
