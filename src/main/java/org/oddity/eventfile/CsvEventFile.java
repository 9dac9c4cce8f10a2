package org.oddity.eventfile;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.oddity.avro.CollisionEvent;

/**
 * Reads events from a CSV table with a header row: each data row becomes one event with a flat
 * feature vector, as a {@link ColumnMapping} says.
 *
 * <p>Which columns are numeric, when the features are "every remaining numeric column", is
 * decided by the first well-formed data row. A last row without its line break and with too
 * few fields is reported as a file cut mid-row; one with every field is taken as complete.
 */
public final class CsvEventFile extends EventFileReader {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final CsvRecordReader records;
    private final CountingInputStream bytes;
    private final long size;
    private final List<String> columns;
    private final RowAssembler assembler;
    private CsvRecordReader.CsvRecord pending;

    private CsvEventFile(Path file, CsvRecordReader records, CountingInputStream bytes, List<String> columns,
            ColumnMapping mapping, BadRows badRows) throws IOException {
        super(file, badRows, "the header");
        this.records = records;
        this.bytes = bytes;
        this.size = Files.size(file);
        this.columns = columns;
        this.pending = wellFormedRecord();
        String[] first = pending == null ? null : pending.fields();
        this.assembler = new RowAssembler(file, mapping, columns, c -> first == null || NumberText.isNumber(first[c]));
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @throws EventFileException if the file is empty or the mapping names a column it lacks
     * @throws BadRowException    if the first data row is bad and {@code badRows} does not skip
     */
    public static CsvEventFile open(Path file, ColumnMapping mapping, BadRows badRows) throws IOException {
        // Undecodable bytes become U+FFFD, so a broken number is reported with its line, not as an I/O error.
        CountingInputStream bytes = new CountingInputStream(Files.newInputStream(file));
        CsvRecordReader records = new CsvRecordReader(new InputStreamReader(bytes,
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)), file);
        try {
            CsvRecordReader.CsvRecord header = header(file, records);
            String[] names = header.fields();
            if (names[0].length() > 0 && names[0].charAt(0) == BYTE_ORDER_MARK) {
                names[0] = names[0].substring(1);
            }
            return new CsvEventFile(file, records, bytes, List.of(names), mapping, badRows);
        } catch (IOException | RuntimeException e) {
            records.close();
            throw e;
        }
    }

    private static CsvRecordReader.CsvRecord header(Path file, CsvRecordReader records) throws IOException {
        try {
            CsvRecordReader.CsvRecord header = records.next();
            if (header == null) {
                throw new EventFileException(file + " is empty: a CSV event file starts with a header row");
            }
            return header;
        } catch (BadRowException e) {
            throw new EventFileException(file + ": unreadable header row: " + e.getMessage(), e);
        }
    }

    /** The next record with one field per column; bad records on the way are handed to {@link #badRows}. */
    private CsvRecordReader.CsvRecord wellFormedRecord() throws IOException {
        while (true) {
            CsvRecordReader.CsvRecord record;
            try {
                record = records.next();
            } catch (BadRowException e) {
                rowsRead++;
                badRows.handle(e);
                continue;
            }
            if (record == null) {
                return null;
            }
            rowsRead++;
            int count = record.fields().length;
            if (count == columns.size()) {
                return record;
            }
            String where = "line " + record.line();
            if (!record.terminated() && count < columns.size()) {
                badRows.handle(new BadRowException(file, where, BadRowException.Reason.TRUNCATED,
                        "the file ends mid-row, after " + count + " of " + columns.size() + " columns"));
            } else {
                badRows.handle(new BadRowException(file, where, BadRowException.Reason.WRONG_COLUMN_COUNT,
                        count + " columns, the header has " + columns.size()));
            }
        }
    }

    @Override
    protected CollisionEvent fetch() {
        try {
            while (true) {
                CsvRecordReader.CsvRecord record = pending != null ? pending : wellFormedRecord();
                pending = null;
                if (record == null) {
                    return null;
                }
                CollisionEvent event = assembled(assembler, new CsvRow(record.fields()), rowsRead - 1,
                        "line " + record.line());
                if (event != null) {
                    return event;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read after " + position + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<FeatureLayout> featureLayout() {
        return Optional.of(assembler.layout());
    }

    @Override
    public void close() throws IOException {
        records.close();
    }

    /** A CSV row: text cells, parsed when a number is asked for. */
    @Override
    public long bytesRead() {
        return bytes.count();
    }

    @Override
    public long knownBytes() {
        return size;
    }

    private static final class CsvRow implements TableRow {

        private final String[] cells;

        CsvRow(String[] cells) {
            this.cells = cells;
        }

        @Override
        public boolean isEmpty(int column) {
            return cells[column].isEmpty();
        }

        @Override
        public String text(int column) {
            return cells[column];
        }

        @Override
        public float floatValue(int column) {
            return NumberText.parseFloat(cells[column]);
        }

        @Override
        public long longValue(int column) {
            return NumberText.parseLong(cells[column]);
        }

        @Override
        public long secondsAsNanos(int column) {
            return NumberText.secondsToNanos(cells[column]);
        }
    }
}
