package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How an event file is read: its format, the column mapping of a table and what becomes of bad
 * rows; shared by replay, evaluate and the commands that read reference background.
 */
final class EventFileOptions {

    /** What a command does with the events of a file, returning its exit code. */
    @FunctionalInterface
    interface EventsTask {
        int run(EventSource events) throws Exception;
    }

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "avro, csv or hdf5 (default: from the file name: .avro, .csv, .h5, .hdf5).")
    String format;

    @Option(names = "--skip-bad", description = "Count and skip bad rows instead of stopping at the first one.")
    boolean skipBad;

    @Mixin
    ColumnMappingOptions columns;

    /** Stops with one line naming the first column flag given, when there is no file ({@code fileFlag}) to map. */
    void requireFileForColumnFlags(String fileFlag) {
        if (!columns.givenFlags().isEmpty()) {
            throw new InvalidSettingException(columns.givenFlags().get(0), "",
                    "column flags need a table to read: give " + fileFlag + " FILE");
        }
    }

    /**
     * Opens {@code file}, runs {@code task} on its events and closes it; a file that cannot be
     * read prints one line instead and gives the exit code of {@link #unreadable}.
     */
    int read(Path file, EventsTask task) throws Exception {
        try (EventSource events = open(file)) {
            return task.run(events);
        } catch (EventFileException | BadRowException e) {
            return unreadable(e);
        }
    }

    /** Opens {@code file} with the column mapping, which only table formats may use. */
    private EventSource open(Path file) throws IOException {
        EventFileFormat eventFormat = format(file);
        List<String> mappingFlags = columns.givenFlags();
        if (!eventFormat.isTable() && !mappingFlags.isEmpty()) {
            throw new InvalidSettingException(mappingFlags.get(0), "", "column flags apply to CSV and HDF5 tables;"
                    + " the events of an Avro file " + file + " are read as they are");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new EventFileException(file + (Files.exists(file) ? " is not a readable file" : " does not exist"));
        }
        Instant now = Instant.now();
        return eventFormat.open(file, columns.mapping(Math.addExact(Math.multiplyExact(now.getEpochSecond(),
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
    private static int unreadable(Exception e) {
        System.err.println("oddity: " + e.getMessage());
        return e instanceof MissingColumnException ? Oddity.EXIT_BAD_SETTING : 1;
    }

    /** Prints how many bad rows of {@code file} were skipped and why, if any were. */
    static void reportBadRows(EventSource events, Path file, PrintStream out) {
        if (events.badRows().total() > 0) {
            out.printf("bad rows skipped in %s: %,d (%s)%n", file, events.badRows().total(),
                    describe(events.badRows()));
        }
    }

    /** Skipped rows by reason, e.g. {@code wrong column count 2, truncated 1}. */
    static String describe(BadRows badRows) {
        return badRows.byReason().entrySet().stream()
                .map((Map.Entry<BadRowException.Reason, Long> e) ->
                        String.format("%s %,d", e.getKey().label(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
