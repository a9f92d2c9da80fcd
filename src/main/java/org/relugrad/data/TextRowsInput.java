package org.relugrad.data;

/**
 * An input held as two text files, X and Y, one matrix row a line, rows aligned by line number. The job counts
 * lines to find each line's row and hands every line to {@link #parse}.
 */
public interface TextRowsInput extends GradientInput {

    String xFile();

    String yFile();

    /**
     * Inside a task: parses one line of X ({@code ofY} false, d values) or Y ({@code ofY} true, k values).
     *
     * @param row the 0-based row, i.e. the line number less one
     * @throws InputException naming the file and line when the line is malformed
     */
    void parse(String line, boolean ofY, long row, int width, double[] dest, int offset);
}
