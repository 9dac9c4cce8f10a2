package org.oddity.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.train.BundleCalibrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddity calibrate}: adds per-cell calibration sets from held-out background to a bundle. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Add per-cell calibration sets to a model bundle (--bundle DIR): score held-out background"
                + " with the bundle's extractor, preprocessing and scorer, exactly as scoring does, collect a set for"
                + " every cell at every fallback level, and merge them with the bundle's sets (--replace drops those)."
                + " The model version stays: the model does not change.",
            "Events come from --input (an Avro container file of CollisionEvents, or a CSV or HDF5 table through"
                + " the column flags; every reference event calibrates) or, without it, from the built-in simulator"
                + " (the standard LHC fill with seed --seed + 2, which neither sample of train --seed S used).",
            "The events must be new to the bundle: never its training events, nor events already in its calibration,"
                + " or the p-values come out too small."})
final class CalibrateCommand extends OddityCommand {

    @Mixin
    ReferenceBackgroundOptions background;

    @Option(names = "--input", paramLabel = "FILE", description = "Calibration events: .avro, .csv, .h5 or .hdf5.")
    Path input;

    @Option(names = "--output", paramLabel = "DIR", description = "Write the calibrated bundle to this new directory.")
    Path output;

    @Option(names = "--in-place", description = "Rewrite the bundle itself (it must verify first).")
    boolean inPlace;

    @Option(names = "--replace", description = "Drop the bundle's calibration sets instead of merging into them.")
    boolean replace;

    @Override
    int run(OdditySettings settings) throws Exception {
        Path bundleDir = settings.modelBundle();
        if (bundleDir == null) {
            throw new InvalidSettingException("model.bundle", "",
                    "oddity calibrate needs a model bundle: give --bundle DIR");
        }
        Path target = target(bundleDir);
        if (input == null) {
            background.requireFileForColumnFlags("--input");
            background.checkSimulation();
        }
        ModelBundle bundle = BundleReader.read(bundleDir);
        System.err.println("oddity: calibration events must be new to " + bundleDir + ": never its training events,"
                + " nor events already in its calibration");
        BundleCalibrator calibrator = new BundleCalibrator(bundle, settings.calibration().cells());
        if (input == null) {
            calibrate(calibrator, bundle, target, background.simulatedRecalibration(),
                    new ProgressBar("calibrating", background.calibrationEvents), "simulated background");
            return 0;
        }
        return background.read(input, events -> {
            // Every reference event calibrates: none of them may have trained the model.
            int code = calibrate(calibrator, bundle, target, background.allHeldOut(events),
                    ProgressBar.of("calibrating", events), input.toString());
            EventFileOptions.reportBadRows(events, input, System.out);
            return code;
        });
    }

    /** Where the bundle goes, from exactly one of --output and --in-place. */
    private Path target(Path bundleDir) throws IOException {
        if (inPlace == (output != null)) {
            throw new InvalidSettingException("--output", output == null ? "" : output.toString(),
                    "give either --output DIR for a new bundle or --in-place to rewrite " + bundleDir);
        }
        if (inPlace) {
            return bundleDir;
        }
        if (output.toAbsolutePath().normalize().equals(bundleDir.toAbsolutePath().normalize())) {
            throw new InvalidSettingException("--output", output.toString(), "is the bundle itself; give --in-place");
        }
        if (Files.exists(output) && (!Files.isDirectory(output) || !isEmpty(output))) {
            throw new InvalidSettingException("--output", output.toString(), "exists and is not an empty directory");
        }
        return output;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Scores {@code events}, writes the bundle and prints every cell's sizes; 1 if no event was usable. */
    private int calibrate(BundleCalibrator calibrator, ModelBundle bundle, Path target, Iterator<CollisionEvent> events,
            ProgressBar progress, String source) throws IOException, InvalidBundleException {
        calibrator.add(events, progress);
        if (calibrator.collected() == 0) {
            System.err.printf("oddity: no usable calibration event in %s: none of its %,d reference events has a cell"
                    + " and valid features; %s is unchanged%n", source, calibrator.rejected(), bundle.directory());
            return 1;
        }
        BundleCalibrator.Result result = calibrator.write(target, replace);
        System.out.printf("model %s version %s: %,d calibration events from %s, %,d rejected, %s -> %s%n",
                result.manifest().name(), result.manifest().version(), calibrator.collected(), source,
                calibrator.rejected(), replace ? "replacing its sets" : "merged with its sets", target);
        int width = "cell".length();
        for (BundleCalibrator.CellSizes cell : result.cells()) {
            width = Math.max(width, cell.cell().length());
        }
        String row = "%-" + width + "s  %12s  %12s  %12s%n";
        System.out.printf(row, "cell", "old n", "added", "new n");
        for (BundleCalibrator.CellSizes cell : result.cells()) {
            System.out.printf(row, cell.cell(), String.format("%,d", cell.before()), String.format("%,d", cell.added()),
                    String.format("%,d", cell.after()));
        }
        return 0;
    }
}
