package org.oddity.cli;

import picocli.CommandLine.Option;

/** The simulated LHC fill a command calibrates on when it reads no event file; shared by train and import-onnx. */
final class SimulatedBackgroundOptions {

    @Option(names = "--calibration-events", defaultValue = "2000000",
            description = "Without an event file: simulated calibration events (default ${DEFAULT-VALUE}).")
    long calibrationEvents;

    @Option(names = "--fill-seconds", defaultValue = "3600",
            description = "Without an event file: event-time length of the simulated fill (default ${DEFAULT-VALUE}).")
    double fillSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    /** Stops with one line naming the option if the simulation is out of range. */
    void check() {
        CommandLineChecks.inRange("--calibration-events", calibrationEvents, 1, 1_000_000_000);
        CommandLineChecks.inRange("--fill-seconds", fillSeconds, 1, 1e7);
    }
}
