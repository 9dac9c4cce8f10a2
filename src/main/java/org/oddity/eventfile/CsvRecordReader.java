package org.oddity.eventfile;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text (RFC 4180) into records: fields separated by commas, records by LF, CRLF or
 * CR; a field in double quotes may hold commas, line breaks and doubled quotes. Blank lines are
 * skipped, as pandas does. Lines are counted so that every message can name one.
 */
final class CsvRecordReader implements Closeable {

    /**
     * One record.
     *
     * @param fields     the fields, unquoted
     * @param line       the line the record starts on, 1-based
     * @param terminated whether a line break ends it; the last record of a file cut mid-row has none
     */
    record CsvRecord(String[] fields, long line, boolean terminated) {
    }

    private static final int EOF = -1;
    private static final int BUFFER_CHARS = 1 << 16;

    private final Reader in;
    private final Path file;
    private final char[] buffer = new char[BUFFER_CHARS];
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private int pos;
    private int limit;
    private long line = 1;

    CsvRecordReader(Reader in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** The next record, or null at the end of the file; {@link BadRowException} for broken quoting. */
    CsvRecord next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') {
            endOfLine(c);
            c = read();
        }
        if (c == EOF) {
            return null;
        }
        long start = line;
        fields.clear();
        while (true) {
            field.setLength(0);
            if (c == '"') {
                c = quoted(start);
                if (!endsField(c)) {
                    String detail = "unexpected '" + (char) c + "' after the closing quote of field "
                            + (fields.size() + 1);
                    skipRestOfLine(c);
                    throw new BadRowException(file, "line " + start, BadRowException.Reason.MALFORMED, detail);
                }
                fields.add(field.toString());
            } else {
                c = unquoted(c);
            }
            if (c == ',') {
                c = read();
                continue;
            }
            boolean terminated = c != EOF;
            if (terminated) {
                endOfLine(c);
            }
            return new CsvRecord(fields.toArray(String[]::new), start, terminated);
        }
    }

    /**
     * Reads an unquoted field whose first character {@code first} was just read; returns the character
     * that ends it. Fields within the buffer become strings in one copy, without a builder.
     */
    private int unquoted(int first) throws IOException {
        if (first == EOF) {
            fields.add("");
            return EOF;
        }
        int begin = pos - 1;
        int end = begin;
        while (end < limit) {
            char ch = buffer[end];
            if (ch == ',' || ch == '\n' || ch == '\r') {
                fields.add(new String(buffer, begin, end - begin));
                pos = end + 1;
                return ch;
            }
            end++;
        }
        field.append(buffer, begin, limit - begin);
        pos = limit;
        int c = read();
        while (!endsField(c)) {
            field.append((char) c);
            c = read();
        }
        fields.add(field.toString());
        return c;
    }

    private static boolean endsField(int c) {
        return c == ',' || c == '\n' || c == '\r' || c == EOF;
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
    private int quoted(long start) throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new BadRowException(file, "line " + start, BadRowException.Reason.TRUNCATED,
                        "the file ends inside the quoted field " + (fields.size() + 1) + " that starts on this line");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    return after;
                }
                field.append('"');
            } else {
                if (c == '\n' || (c == '\r' && peek() != '\n')) {
                    line++;
                }
                field.append((char) c);
            }
        }
    }

    private void skipRestOfLine(int first) throws IOException {
        int c = first;
        while (c != '\n' && c != '\r' && c != EOF) {
            c = read();
        }
        if (c != EOF) {
            endOfLine(c);
        }
    }

    private void endOfLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            pos++;
        }
        line++;
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return EOF;
        }
        return buffer[pos++];
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return EOF;
        }
        return buffer[pos];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
