package org.relugrad.internal.io.csv;

import org.relugrad.internal.io.InputError;
import org.relugrad.internal.io.InputException;
import org.relugrad.internal.io.ParallelWork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.LineRecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting the lines of text inputs split by split, and reading them from any row: the same lines, files and line
 * numbers (and first blank line) as splitting the whole text at "\n", "\r\n" and "\r", and each split owning the
 * lines Hadoop's text reader gives it.
 */
class LineIndexTest {
    private static final Configuration CONF = new Configuration();
    private static final ParallelWork IN_ORDER = new ParallelWork() {
        @Override
        public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> fn) {
            return items.stream().map(fn::apply).toList();
        }
    };

    @TempDir
    Path tmp;

    /** A line as the reference splitter and the index give it: its text, file and 1-based line number. */
    private record Line(String text, String file, long number) {
    }

    /** The reference: the lines of {@code text} ended by "\n", "\r\n" or "\r", a last line without an end too. */
    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(line.toString());
                line.setLength(0);
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                line.append(c);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Random lines of numbers, some empty, each ended at random by "\n", "\r\n" or "\r", the last maybe not. */
    private static String randomText(Random random, int lines) {
        String[] ends = {"\n", "\r\n", "\r"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (random.nextInt(8) > 0) {
                text.append(random.nextInt(1000)).append(',').append(random.nextDouble());
            }
            if (i < lines - 1 || random.nextBoolean()) {
                text.append(ends[random.nextInt(ends.length)]);
            }
        }
        return text.toString();
    }

    private static List<Line> expected(List<String> files, List<String> names) {
        List<Line> lines = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            List<String> texts = splitLines(files.get(f));
            for (int i = 0; i < texts.size(); i++) {
                lines.add(new Line(texts.get(i), names.get(f), i + 1));
            }
        }
        return lines;
    }

    /** Every line from row {@code from} to the end, as the index reads them. */
    private static List<Line> readFrom(LineIndex index, long from) {
        List<Line> lines = new ArrayList<>();
        try (LineIndex.Lines reader = index.open(from, CONF)) {
            for (long r = from; r < index.rows(); r++) {
                reader.next();
                String text = new String(reader.bytes(), reader.start(), reader.end() - reader.start(),
                        StandardCharsets.UTF_8);
                lines.add(new Line(text, reader.file(), reader.lineNumber()));
            }
        }
        return lines;
    }

    /** How many lines Hadoop's own text reader gives split {@code split}. */
    private static long hadoopCount(LineIndex.Split split) throws IOException {
        LineRecordReader reader = new LineRecordReader(new JobConf(CONF),
                new FileSplit(new org.apache.hadoop.fs.Path(split.path()), split.start(), split.length(), (String[]) null));
        long n = 0;
        LongWritable key = new LongWritable();
        Text value = new Text();
        while (reader.next(key, value)) {
            n++;
        }
        reader.close();
        return n;
    }

    @Test
    void splitsOfAnySizeCountAndReadTheLinesOfTheWholeText() throws IOException {
        Random random = new Random(11);
        for (int trial = 0; trial < 30; trial++) {
            String text = randomText(random, 1 + random.nextInt(30));
            Path file = tmp.resolve("X" + trial + ".csv");
            Files.writeString(file, text);
            List<Line> expected = expected(List.of(text), List.of(file.toString()));
            for (long splitBytes : new long[] {1, 2, 3, 5, 8, 13, 40, 1 << 20}) {
                LineIndex index = LineCounting.count(List.of(file.toString()), CONF, IN_ORDER, splitBytes).get(0);
                assertEquals(expected.size(), index.rows(), "rows of " + text.replace("\r", "\\r").replace("\n", "\\n"));
                for (LineIndex.Split split : index.splits()) {
                    assertEquals(hadoopCount(split), split.lines(), "lines of split at byte " + split.start());
                }
                Line blank = expected.stream().filter(l -> l.text().isEmpty()).findFirst().orElse(null);
                InputError firstBlank = index.firstBlankLine();
                assertEquals(blank == null ? null : blank.file() + " line " + blank.number()
                        + ": empty line, expected numbers", firstBlank == null ? null : firstBlank.toString());
                for (long from = 0; from <= expected.size(); from++) {
                    assertEquals(expected.subList((int) from, expected.size()), readFrom(index, from),
                            "from row " + from + ", splits of " + splitBytes + " bytes");
                }
            }
        }
    }

    @Test
    void aFolderOfPartsIsReadInNameOrderWithEachPartsOwnLineNumbers() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("parts"));
        Random random = new Random(5);
        List<String> texts = List.of(randomText(random, 7), "", randomText(random, 1), randomText(random, 12));
        List<String> names = new ArrayList<>();
        for (int p = 0; p < texts.size(); p++) {
            Files.writeString(folder.resolve("part-0000" + p), texts.get(p));
            names.add(folder + "/part-0000" + p);
        }
        Files.writeString(folder.resolve("_SUCCESS"), "not data\n");
        List<Line> expected = expected(texts, names);
        for (long splitBytes : new long[] {4, 1 << 20}) {
            LineIndex index = LineCounting.count(List.of(folder.toString()), CONF, IN_ORDER, splitBytes).get(0);
            for (long from = 0; from <= expected.size(); from++) {
                assertEquals(expected.subList((int) from, expected.size()), readFrom(index, from), "from row " + from);
            }
        }
    }

    @Test
    void compressedFilesAreOneSplitEachAndReadFromAnyRow() throws IOException {
        String text = randomText(new Random(3), 200);
        Path gz = tmp.resolve("X.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path bz2 = tmp.resolve("X.csv.bz2");
        BZip2Codec codec = new BZip2Codec();
        codec.setConf(CONF);
        try (OutputStream out = codec.createOutputStream(Files.newOutputStream(bz2))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        List<LineIndex> indexes = LineCounting.count(List.of(gz.toString(), bz2.toString()), CONF, IN_ORDER, 16);
        for (int i = 0; i < 2; i++) {
            LineIndex index = indexes.get(i);
            String name = i == 0 ? gz.toString() : bz2.toString();
            List<Line> expected = expected(List.of(text), List.of(name));
            assertEquals(1, index.splits().size(), name);
            assertEquals(expected.size(), index.rows(), name);
            for (long from : new long[] {0, 1, 99, expected.size() - 1}) {
                assertEquals(expected.subList((int) from, expected.size()), readFrom(index, from), name + " from " + from);
            }
        }
    }

    @Test
    void aTruncatedGzipFileCannotBeCounted() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(randomText(new Random(8), 3000).getBytes(StandardCharsets.UTF_8));
        }
        Path gz = tmp.resolve("Y.csv.gz");
        Files.write(gz, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        InputException e = assertThrows(InputException.class,
                () -> LineIndex.count(List.of(gz.toString()), CONF, IN_ORDER));
        assertTrue(e.getMessage().startsWith(gz + ": cannot be read"), e.getMessage());
    }

    @Test
    void aMissingInputIsNamed() {
        String missing = tmp.resolve("none.csv").toString();
        InputException e = assertThrows(InputException.class,
                () -> LineIndex.count(List.of(missing), CONF, IN_ORDER));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
