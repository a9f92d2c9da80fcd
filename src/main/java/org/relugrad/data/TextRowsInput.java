package org.relugrad.data;

/**
 * An input held as two text inputs, X and Y (each a file or a folder of files, see
 * {@link HadoopFiles#listText}), one matrix row a line, rows aligned by line number. The job counts lines to find
 * each line's row and hands every line to {@link #parse}.
 */
public interface TextRowsInput extends GradientInput {

    String xFile();

    String yFile();

    /**
     * Inside a task: parses one line of X ({@code ofY} false, d values) or Y ({@code ofY} true, k values).
     *
     * @param file the name of the file the line is in, for errors
     * @param lineNumber the 1-based line number within that file, for errors
     * @throws InputException naming the file and line when the line is malformed
     */
    void parse(String line, boolean ofY, String file, long lineNumber, int width, double[] dest, int offset);
}
