package org.relugrad.data;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.relugrad.math.Matrix;

/**
 * X and Y as CSV files on any Hadoop file system: comma-separated numbers, one row a line, no header; W as CSV or
 * .npy.
 */
public final class CsvInput implements TextRowsInput {
    private static final long serialVersionUID = 1L;

    private final String xFile;
    private final String yFile;
    private final String wFile;

    public CsvInput(String xFile, String yFile, String wFile) {
        this.xFile = xFile;
        this.yFile = yFile;
        this.wFile = wFile;
    }

    /**
     * Reads W and checks the first lines of X and Y against its shape, so that a header line or a shape error
     * stops the run at once, before any Spark job.
     */
    @Override
    public Matrix open(Configuration conf) {
        List<TextFile> xs = HadoopFiles.listText(xFile, conf);
        List<TextFile> ys = HadoopFiles.listText(yFile, conf);
        Matrix w = MatrixFile.read(wFile, conf);
        checkFirstLine(xs, conf, false, w.rows());
        checkFirstLine(ys, conf, true, w.cols());
        return w;
    }

    private void checkFirstLine(List<TextFile> files, Configuration conf, boolean ofY, int width) {
        String line = HadoopFiles.firstLine(files, conf);
        if (line != null) {
            String file = files.stream().filter(f -> f.bytes() > 0).findFirst().orElseThrow().name();
            parse(line, ofY, file, 1, width, new double[width], 0);
        }
    }

    @Override
    public String xFile() {
        return xFile;
    }

    @Override
    public String yFile() {
        return yFile;
    }

    @Override
    public void parse(String line, boolean ofY, String file, long lineNumber, int width, double[] dest, int offset) {
        String what = ofY ? "k = " + width + ", the columns of " + wFile : "d = " + width + ", the rows of " + wFile;
        CsvRows.parse(line, file, lineNumber, width, what, dest, offset);
    }

    @Override
    public String describe() {
        return "csv: x=" + xFile + " y=" + yFile + " w=" + wFile;
    }
}
