package org.oddity.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.oddity.config.InvalidSettingException;
import org.oddity.eventfile.BadRowException;
import org.oddity.eventfile.BadRows;
import org.oddity.eventfile.EventFileException;
import org.oddity.eventfile.EventFileFormat;
import org.oddity.eventfile.EventSource;
import org.oddity.eventfile.MissingColumnException;
import picocli.CommandLine.Option;

/** How an event file is read: its format and what becomes of bad rows; shared by replay and train. */
final class EventFileOptions {

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "avro, csv or hdf5 (default: from the file name: .avro, .csv, .h5, .hdf5).")
    String format;

    @Option(names = "--skip-bad", description = "Count and skip bad rows instead of stopping at the first one.")
    boolean skipBad;

    /** Opens {@code file} with the column mapping of {@code mapping}, which only table formats may use. */
    EventSource open(Path file, ColumnMappingOptions mapping) throws IOException {
        EventFileFormat eventFormat = format(file);
        List<String> mappingFlags = mapping.givenFlags();
        if (!eventFormat.isTable() && !mappingFlags.isEmpty()) {
            throw new InvalidSettingException(mappingFlags.get(0), "", "column flags apply to CSV and HDF5 tables;"
                    + " the events of an Avro file " + file + " are read as they are");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new EventFileException(file + (Files.exists(file) ? " is not a readable file" : " does not exist"));
        }
        Instant now = Instant.now();
        return eventFormat.open(file, mapping.mapping(Math.addExact(Math.multiplyExact(now.getEpochSecond(),
                1_000_000_000L), now.getNano())), skipBad ? BadRows.skipping() : BadRows.failing());
    }

    private EventFileFormat format(Path file) {
        if (format == null) {
            try {
                return EventFileFormat.of(file);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("--format", "", e.getMessage() + "; give --format");
            }
        }
        try {
            return EventFileFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--format", format, "expected avro, csv or hdf5");
        }
    }

    /**
     * Prints why a file could not be read, on one line, and returns the exit code: 2 when a flag names
     * a column the file lacks (an invalid option), 1 otherwise.
     */
    static int unreadable(Exception e) {
        System.err.println("oddity: " + e.getMessage());
        return e instanceof MissingColumnException ? Oddity.EXIT_BAD_SETTING : 1;
    }

    /** Skipped rows by reason, e.g. {@code wrong column count 2, truncated 1}. */
    static String describe(BadRows badRows) {
        return badRows.byReason().entrySet().stream()
                .map((Map.Entry<BadRowException.Reason, Long> e) ->
                        String.format("%s %,d", e.getKey().label(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
