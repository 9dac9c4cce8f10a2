package org.oddity.sim;

import java.util.List;
import java.util.Objects;

/**
 * Everything that fixes a simulated stream: the events, run and start time, the LHC fills back to back, the
 * detector-state schedule over the run, and the injected signals and detector faults (none in a standard plan).
 */
public record SimulationPlan(long events, long run, long startNanos, List<FillProfile> fills, DetectorSchedule detector,
        List<SignalInjection> signals, List<DetectorFault> faults) {

    static final long STANDARD_RUN = 1L;
    /** 2026-01-01T00:00:00Z: a fixed start keeps standard plans reproducible; live demos pass their own. */
    static final long STANDARD_START_NANOS = 1_767_225_600_000_000_000L;

    public SimulationPlan {
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        fills = List.copyOf(fills);
        if (fills.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one fill");
        }
        Objects.requireNonNull(detector, "detector");
        signals = List.copyOf(signals);
        faults = List.copyOf(faults);
    }

    /** One fill, no signals, no faults. */
    public SimulationPlan(long events, long run, long startNanos, FillProfile fill, DetectorSchedule detector) {
        this(events, run, startNanos, List.of(fill), detector, List.of(), List.of());
    }

    /** One standard fill (pileup 60 down to 25) with the standard detector schedule: the demo's background. */
    public static SimulationPlan standard(long events, double fillDurationSeconds) {
        return new SimulationPlan(events, STANDARD_RUN, STANDARD_START_NANOS,
                FillProfile.standard(fillDurationSeconds), DetectorSchedule.standard(fillDurationSeconds));
    }

    /** The same run with another number of events. */
    public SimulationPlan withEvents(long count) {
        return new SimulationPlan(count, run, startNanos, fills, detector, signals, faults);
    }

    /** Event-time length of the run: all fills back to back. */
    public double durationSeconds() {
        double total = 0.0;
        for (FillProfile fill : fills) {
            total += fill.durationSeconds();
        }
        return total;
    }

    /** Mean pileup at {@code t} seconds into the run; the last fill holds its end value past the run's end. */
    public double pileupAt(double t) {
        int i = fillIndexAt(t);
        return fills.get(i).pileupAt(t - fillStart(i));
    }

    /** Instantaneous luminosity (1e34 cm^-2 s^-1) at {@code t} seconds into the run. */
    public double lumiAt(double t) {
        int i = fillIndexAt(t);
        return fills.get(i).lumiAt(t - fillStart(i));
    }

    /** Index of the fill that contains {@code t} seconds into the run. */
    public int fillIndexAt(double t) {
        double end = 0.0;
        int last = fills.size() - 1;
        for (int i = 0; i < last; i++) {
            end += fills.get(i).durationSeconds();
            if (t < end) {
                return i;
            }
        }
        return last;
    }

    /** Seconds into the run at which fill {@code index} starts. */
    public double fillStart(int index) {
        double start = 0.0;
        for (int i = 0; i < index; i++) {
            start += fills.get(i).durationSeconds();
        }
        return start;
    }
}
