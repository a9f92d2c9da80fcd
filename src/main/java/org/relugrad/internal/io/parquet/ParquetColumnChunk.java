package org.relugrad.internal.io.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One column of one row group, read row by row into primitive arrays: a page at a time, its repetition and
 * definition levels and its values decoded in bulk (plain doubles copied straight from the page, floats widened
 * exactly to doubles), whatever the encoding (plain, dictionary, byte stream split, delta), page version and
 * nesting. A row is one list (for an array column, of any length, maybe null, maybe holding nulls) or one value
 * (for a scalar column, maybe null).
 */
final class ParquetColumnChunk {
    /** {@link #nextRow} for a row whose value (the list itself, or the scalar) is null. */
    static final int NULL = -1;

    private final ColumnDescriptor column;
    private final PageReader pages;
    private final Dictionary dictionary;
    private final boolean longs;
    private final int maxRep;
    private final int maxDef;
    /** Definition levels below this: the row's list (or value) is null; below {@link #listDef}: it is empty. */
    private final int nullDef;
    private final int listDef;
    /** The list length a row should have (1 for a scalar column). */
    private final int width;
    private int[] rep = new int[0];
    private int[] def = new int[0];
    private double[] doubles = new double[0];
    private long[] longValues = new long[0];
    private int entries;
    /** Whether the page has no nulls and no empty lists: then its i-th level entry is its i-th value. */
    private boolean dense;
    /** Whether the page is dense and holds whole rows of exactly {@link #width} elements each. */
    private boolean regular;
    /** The repetition levels of regular rows: 0, 1, …, 1 (width − 1 ones), repeated. */
    private int[] regularLevels = new int[0];
    private int entry;
    private int value;
    /** After {@link #nextRow}: the first null element's index in the list, or -1. */
    private int nullElement;
    /** Where each page is decompressed: one buffer for all of them, since a page is decoded before the next. */
    private final PageBytes pageBytes = new PageBytes();

    /**
     * @param nullDef the definition level the column's top field has when present (0 when it is required)
     * @param listDef the definition level of a list with at least one element (nullDef for a scalar)
     * @param width the list length every row should have, 1 for a scalar column
     */
    ParquetColumnChunk(ColumnDescriptor column, PageReader pages, int nullDef, int listDef, int width)
            throws IOException {
        this.column = column;
        this.width = width;
        this.pages = pages;
        this.maxRep = column.getMaxRepetitionLevel();
        this.maxDef = column.getMaxDefinitionLevel();
        this.nullDef = nullDef;
        this.listDef = listDef;
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        this.longs = type != PrimitiveTypeName.DOUBLE && type != PrimitiveTypeName.FLOAT;
        DictionaryPage dictionaryPage = pages.readDictionaryPage();
        this.dictionary = dictionaryPage == null ? null
                : dictionaryPage.getEncoding().initDictionary(column, dictionaryPage);
    }

    /**
     * Reads the next row: writes its list's first {@link #width} values to {@code dest} from {@code offset} (a
     * scalar: its value) and returns the list's length, or {@link #NULL}. Null elements are written as 0 and
     * reported by {@link #nullElement}.
     */
    int nextRow(double[] dest, int offset) throws IOException {
        nullElement = -1;
        if (entry == entries) {
            readPage();
        }
        if (maxRep == 0) {
            int level = maxDef == 0 ? maxDef : def[entry];
            entry++;
            if (level < maxDef) {
                return NULL;
            }
            dest[offset] = doubles[value++];
            return 1;
        }
        if (dense && entry + width < entries && fullRow()) {
            System.arraycopy(doubles, entry, dest, offset, width);
            entry += width;
            value = entry;
            return width;
        }
        int first = def[entry];
        if (first < listDef) {
            entry++;
            return first < nullDef ? NULL : 0;
        }
        int length = 0;
        do {
            if (def[entry] == maxDef) {
                if (length < width) {
                    dest[offset + length] = doubles[value];
                }
                value++;
            } else {
                if (nullElement < 0) {
                    nullElement = length;
                }
                if (length < width) {
                    dest[offset + length] = 0;
                }
            }
            length++;
            entry++;
        } while ((entry < entries || readPageIfAny()) && rep[entry] != 0);
        return length;
    }

    /**
     * Copies as many of the next {@code rows} rows as the current page holds, when it holds only rows of exactly
     * {@link #width} present elements each (what a writer of fixed-length arrays makes): one copy for them all.
     *
     * @return the rows copied, 0 when the page is not so regular (then read row by row)
     */
    int readRegular(double[] dest, int offset, int rows) throws IOException {
        if (entry == entries && !readPageIfAny()) {
            return 0;
        }
        if (!regular) {
            return 0;
        }
        int copied = Math.min(rows, (entries - entry) / width);
        System.arraycopy(doubles, entry, dest, offset, copied * width);
        entry += copied * width;
        value = entry;
        return copied;
    }

    /** Whether the page's n repetition levels are those of n / width rows of width elements (a vectorized compare). */
    private boolean regularLevels(int n) {
        if (regularLevels.length < n) {
            regularLevels = new int[Math.max(n, 2 * regularLevels.length)];
            for (int i = 0; i < regularLevels.length; i++) {
                regularLevels[i] = i % width == 0 ? 0 : 1;
            }
        }
        return java.util.Arrays.mismatch(rep, 0, n, regularLevels, 0, n) < 0;
    }

    /** Whether the row at {@link #entry} of a dense page has exactly {@link #width} elements, all in the page. */
    private boolean fullRow() {
        boolean inRow = true;
        for (int i = entry + 1; i < entry + width; i++) {
            inRow &= rep[i] != 0;
        }
        return inRow && rep[entry + width] == 0;
    }

    /** The row column's next value (an integer column, required or optional); false when it is null. */
    boolean nextLong(long[] dest, int at) throws IOException {
        if (entry == entries) {
            readPage();
        }
        int level = maxDef == 0 ? 0 : def[entry];
        entry++;
        if (level < maxDef) {
            return false;
        }
        dest[at] = longValues[value++];
        return true;
    }

    /** After {@link #nextRow}: the index of the row's first null element, or -1 when it has none. */
    int nullElement() {
        return nullElement;
    }

    /** Skips {@code rows} rows. */
    void skipRows(long rows) throws IOException {
        for (long r = 0; r < rows; r++) {
            if (entry == entries) {
                readPage();
            }
            do {
                if (maxDef == 0 || def[entry] == maxDef) {
                    value++;
                }
                entry++;
            } while (maxRep > 0 && (entry < entries || readPageIfAny()) && rep[entry] != 0);
        }
    }

    private boolean readPageIfAny() throws IOException {
        DataPage page = pages.readPage();
        if (page == null) {
            return false;
        }
        decode(page);
        return true;
    }

    private void readPage() throws IOException {
        if (!readPageIfAny()) {
            throw new IOException("column " + column + " ends before the row group's last row");
        }
    }

    private void decode(DataPage page) throws IOException {
        int n = page.getValueCount();
        if (rep.length < n) {
            rep = new int[n];
            def = new int[n];
        }
        Encoding encoding;
        ByteBufferInputStream in;
        if (page instanceof DataPageV1 v1) {
            in = ByteBufferInputStream.wrap(v1.getBytes().toByteBuffer(pageBytes, reused -> { }));
            levels(v1.getRlEncoding(), ValuesType.REPETITION_LEVEL, maxRep, in, rep, n);
            levels(v1.getDlEncoding(), ValuesType.DEFINITION_LEVEL, maxDef, in, def, n);
            encoding = v1.getValueEncoding();
        } else {
            DataPageV2 v2 = (DataPageV2) page;
            levels(maxRep, v2.getRepetitionLevels().toByteBuffer(), rep, n);
            levels(maxDef, v2.getDefinitionLevels().toByteBuffer(), def, n);
            in = ByteBufferInputStream.wrap(v2.getData().toByteBuffer(pageBytes, reused -> { }));
            encoding = v2.getDataEncoding();
        }
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (def[i] == maxDef) {
                present++;
            }
        }
        values(encoding, n, present, in);
        dense = present == n;
        regular = dense && maxRep > 0 && n % width == 0 && regularLevels(n);
        entries = n;
        entry = 0;
        value = 0;
    }

    /** Version 1 levels, in the page's own encoding (RLE after its length, or the old bit packing). */
    private void levels(Encoding encoding, ValuesType type, int max, ByteBufferInputStream in, int[] dest, int n)
            throws IOException {
        if (max == 0) {
            return;
        }
        if (encoding == Encoding.RLE) {
            int length = BytesUtils.readIntLittleEndian(in);
            ParquetLevels.decode(in.slice(length), BytesUtils.getWidthFromMaxInt(max), dest, n);
            return;
        }
        ValuesReader reader = encoding.getValuesReader(column, type);
        reader.initFromPage(n, in);
        for (int i = 0; i < n; i++) {
            dest[i] = reader.readInteger();
        }
    }

    /** Version 2 levels: always RLE, without a length (the page header has it). */
    private static void levels(int max, ByteBuffer in, int[] dest, int n) throws IOException {
        if (max > 0) {
            ParquetLevels.decode(in, BytesUtils.getWidthFromMaxInt(max), dest, n);
        }
    }

    private void values(Encoding encoding, int n, int present, ByteBufferInputStream in) throws IOException {
        if (longs) {
            if (longValues.length < present) {
                longValues = new long[present];
            }
        } else if (doubles.length < present) {
            doubles = new double[present];
        }
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        if (encoding == Encoding.PLAIN && type == PrimitiveTypeName.DOUBLE) {
            // The common case, and most of the bytes: little-endian doubles, copied in one go.
            DoubleBuffer plain = in.slice(8 * present).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
            plain.get(doubles, 0, present);
            return;
        }
        if (encoding == Encoding.PLAIN && type == PrimitiveTypeName.FLOAT) {
            // Widened exactly: a float32 table's blocks narrow them back to the same floats.
            FloatBuffer plain = in.slice(4 * present).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0; i < present; i++) {
                doubles[i] = plain.get(i);
            }
            return;
        }
        ValuesReader reader = encoding.usesDictionary()
                ? encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, requireDictionary())
                : encoding.getValuesReader(column, ValuesType.VALUES);
        reader.initFromPage(n, in);
        for (int i = 0; i < present; i++) {
            if (type == PrimitiveTypeName.FLOAT) {
                doubles[i] = reader.readFloat();
            } else if (!longs) {
                doubles[i] = reader.readDouble();
            } else {
                longValues[i] = type == PrimitiveTypeName.INT64 ? reader.readLong() : reader.readInteger();
            }
        }
    }

    private Dictionary requireDictionary() throws IOException {
        if (dictionary == null) {
            throw new IOException("column " + column + " has dictionary-encoded pages but no dictionary");
        }
        return dictionary;
    }

    /** Hands out the same heap buffer for every page, grown when a page needs more. */
    private static final class PageBytes implements ByteBufferAllocator {
        private ByteBuffer buffer = ByteBuffer.allocate(0);

        @Override
        public ByteBuffer allocate(int size) {
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocate(size);
            }
            return buffer.clear().limit(size);
        }

        @Override
        public void release(ByteBuffer released) {
        }

        @Override
        public boolean isDirect() {
            return false;
        }
    }
}
