package org.oddity.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A simulation scenario, usually read from a YAML or JSON file: run number, start time, LHC fills back to back, the
 * detector-state schedule, and the signals and detector faults to inject. {@link #plan} turns it into a stream.
 */
public record Scenario(long run, long startNanos, List<FillProfile> fills, DetectorSchedule detector,
        List<SignalInjection> signals, List<DetectorFault> faults) {

    public Scenario {
        fills = List.copyOf(fills);
        if (fills.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one fill");
        }
        Objects.requireNonNull(detector, "detector");
        signals = List.copyOf(signals);
        faults = List.copyOf(faults);
    }

    /** Reads a scenario file: JSON if the name ends in .json, YAML otherwise; fails naming the bad field. */
    public static Scenario read(Path path) throws IOException {
        return ScenarioReader.read(path);
    }

    /** Parses a scenario from YAML text (JSON is YAML too); fails naming the bad field. */
    public static Scenario parse(String yaml) {
        return ScenarioReader.parseYaml(yaml);
    }

    /** Event-time length of the run: all fills back to back. */
    public double durationSeconds() {
        return plan(0).durationSeconds();
    }

    /** The stream of {@code events} events that covers this scenario's run. */
    public SimulationPlan plan(long events) {
        return new SimulationPlan(events, run, startNanos, fills, detector, signals, faults);
    }
}
