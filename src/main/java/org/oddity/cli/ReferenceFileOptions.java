package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.InvalidSettingException;
import org.oddity.eventfile.EventSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reference background read from an event file: its format, the column mapping of a table, and
 * which label marks background; shared by train and import-onnx.
 */
final class ReferenceFileOptions {

    @Mixin
    EventFileOptions fileOptions;

    @Mixin
    ColumnMappingOptions mappingOptions;

    @Option(names = "--background-label", paramLabel = "LABEL",
            description = "With an event file: use only events labelled LABEL (the --label-column of a table, the"
                    + " truth of an Avro event), e.g. background; --background-label= for events with no label."
                    + " Default: every event.")
    String backgroundLabel;

    /** Stops with one line naming the first column flag given, when there is no file ({@code fileFlag}) to map. */
    void requireFileForColumnFlags(String fileFlag) {
        if (!mappingOptions.givenFlags().isEmpty()) {
            throw new InvalidSettingException(mappingOptions.givenFlags().get(0), "",
                    "column flags need a table to read: give " + fileFlag + " FILE");
        }
    }

    /** Opens {@code file}; for a table, --background-label needs the --label-column its labels come from. */
    EventSource open(Path file) throws IOException {
        EventSource events = fileOptions.open(file, mappingOptions);
        if (backgroundLabel != null && events.featureLayout().isPresent() && mappingOptions.labelColumn == null) {
            events.close();
            throw new InvalidSettingException("--background-label", backgroundLabel,
                    "a table's labels come from its --label-column; give that too");
        }
        return events;
    }

    /** Whether {@code event} is reference background under --background-label. */
    boolean isReference(CollisionEvent event) {
        return backgroundLabel == null || backgroundLabel.equals(event.getTruth() == null ? "" : event.getTruth());
    }

    /** Prints how many bad rows of {@code file} were skipped and why, if any were. */
    static void reportBadRows(EventSource events, Path file, PrintStream out) {
        if (events.badRows().total() > 0) {
            out.printf("bad rows skipped in %s: %,d (%s)%n", file, events.badRows().total(),
                    EventFileOptions.describe(events.badRows()));
        }
    }
}
