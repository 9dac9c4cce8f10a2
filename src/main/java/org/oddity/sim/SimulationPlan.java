package org.oddity.sim;

import java.util.Objects;

/** Everything that fixes a simulated stream. */
public record SimulationPlan(long events, long run, long startNanos, FillProfile fill, DetectorSchedule detector) {

    private static final long STANDARD_RUN = 1L;
    /** 2026-01-01T00:00:00Z: a fixed start keeps standard plans reproducible; live demos pass their own. */
    private static final long STANDARD_START_NANOS = 1_767_225_600_000_000_000L;

    public SimulationPlan {
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        Objects.requireNonNull(fill, "fill");
        Objects.requireNonNull(detector, "detector");
    }

    public static SimulationPlan standard(long events, double fillDurationSeconds) {
        return new SimulationPlan(events, STANDARD_RUN, STANDARD_START_NANOS,
                FillProfile.standard(fillDurationSeconds), DetectorSchedule.standard(fillDurationSeconds));
    }
}
