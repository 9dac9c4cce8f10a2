package org.oddity.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.oddity.config.OdditySettings;
import org.oddity.sim.AvroEventFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddity train}: fits a model on reference events and calibrates it per cell on held-out events. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an HBOS model on reference background and calibrate it per run-condition cell.",
            "With --input, events come from an Avro container file and a seeded random fraction is held out"
                + " for calibration; without it, from the built-in simulator (one standard LHC fill)."})
final class TrainCommand implements Callable<Integer> {

    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Bundle directory to write.")
    Path output;

    @Option(names = "--input", paramLabel = "FILE", description = "Avro container file of CollisionEvents.")
    Path input;

    @Option(names = "--calibration-fraction", defaultValue = "0.5",
            description = "With --input: fraction held out for calibration (default ${DEFAULT-VALUE}).")
    double calibrationFraction;

    @Option(names = "--training-events", defaultValue = "200000",
            description = "Without --input: simulated training events (default ${DEFAULT-VALUE}).")
    long trainingEvents;

    @Option(names = "--calibration-events", defaultValue = "2000000",
            description = "Without --input: simulated calibration events (default ${DEFAULT-VALUE}).")
    long calibrationEvents;

    @Option(names = "--fill-seconds", defaultValue = "3600",
            description = "Without --input: event-time length of the simulated fill (default ${DEFAULT-VALUE}).")
    double fillSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bins", defaultValue = "50", description = "Histogram bins per feature (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--name", defaultValue = "l1-hbos", description = "Model name (default ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws Exception {
        OdditySettings settings = settingsOptions.settings();
        CommandLineChecks.inRange("--calibration-fraction", calibrationFraction, 0.0, 1.0);
        CommandLineChecks.inRange("--bins", bins, 2, 10_000);
        if (input == null) {
            CommandLineChecks.inRange("--training-events", trainingEvents, 1, 1_000_000_000);
            CommandLineChecks.inRange("--calibration-events", calibrationEvents, 1, 1_000_000_000);
            CommandLineChecks.inRange("--fill-seconds", fillSeconds, 1, 1e7);
            BundleTraining.simulated(settings, name, output, bins, trainingEvents, calibrationEvents, fillSeconds,
                    seed, System.out);
            return 0;
        }
        try (AvroEventFile trainingPass = AvroEventFile.open(input);
                AvroEventFile calibrationPass = AvroEventFile.open(input)) {
            BundleTraining.train(settings, name, output, bins,
                    new HeldOutSplit(trainingPass, seed, calibrationFraction, false),
                    new HeldOutSplit(calibrationPass, seed, calibrationFraction, true), 0, System.out);
        }
        return 0;
    }
}
