package org.oddity.cli;

import java.nio.file.Path;
import java.util.Iterator;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.InvalidSettingException;
import org.oddity.eventfile.EventSource;
import org.oddity.sim.DaqSimulator;
import org.oddity.train.HeldOutSplit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The reference background a command trains or calibrates on: the reference events of a file (its
 * format, the column mapping of a table, and which label marks background), or without a file a
 * simulated standard LHC fill; shared by train, calibrate and import-onnx.
 */
final class ReferenceBackgroundOptions {

    @Mixin
    EventFileOptions file;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--background-label", paramLabel = "LABEL",
            description = "With an event file: use only events labelled LABEL (the --label-column of a table, the"
                    + " truth of an Avro event), e.g. background; --background-label= for events with no label."
                    + " Default: every event.")
    String backgroundLabel;

    @Option(names = "--calibration-events", defaultValue = "2000000",
            description = "Without an event file: simulated calibration events (default ${DEFAULT-VALUE}).")
    long calibrationEvents;

    @Option(names = "--fill-seconds", defaultValue = "3600",
            description = "Without an event file: event-time length of the simulated fill (default ${DEFAULT-VALUE}).")
    double fillSeconds;

    /** Stops with one line naming the first column flag given, when there is no file ({@code fileFlag}) to map. */
    void requireFileForColumnFlags(String fileFlag) {
        file.requireFileForColumnFlags(fileFlag);
    }

    /** Stops with one line naming the option if the simulated fill is out of range. */
    void checkSimulation() {
        CommandLineChecks.inRange("--calibration-events", calibrationEvents, 1, 1_000_000_000);
        CommandLineChecks.inRange("--fill-seconds", fillSeconds, 1, 1e7);
    }

    /**
     * Runs {@code task} on the events of {@code path} as {@link EventFileOptions#read} does; for a
     * table, --background-label needs the --label-column its labels come from.
     */
    int read(Path path, EventFileOptions.EventsTask task) throws Exception {
        return file.read(path, events -> {
            if (backgroundLabel != null && events.featureLayout().isPresent() && file.columns.labelColumn == null) {
                throw new InvalidSettingException("--background-label", backgroundLabel,
                        "a table's labels come from its --label-column; give that too");
            }
            return task.run(events);
        });
    }

    /** Whether {@code event} is reference background under --background-label. */
    boolean isReference(CollisionEvent event) {
        return backgroundLabel == null || backgroundLabel.equals(event.getTruth() == null ? "" : event.getTruth());
    }

    /** Every reference event of {@code events}, for calibrating a model that none of them trained. */
    Iterator<CollisionEvent> allHeldOut(EventSource events) {
        return new HeldOutSplit(events, seed(), 1.0, true, this::isReference);
    }

    /** Simulated calibration events, independent of the training events simulated with the same seed. */
    DaqSimulator simulatedCalibration() {
        return BundleTraining.simulatedCalibration(calibrationEvents, fillSeconds, seed());
    }

    /** Simulated calibration events new to a bundle that train simulated with the same seed. */
    DaqSimulator simulatedRecalibration() {
        return BundleTraining.simulatedRecalibration(calibrationEvents, fillSeconds, seed());
    }

    long seed() {
        return seedOption.seed;
    }
}
