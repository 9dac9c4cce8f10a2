package org.oddity.calibrate;

/** A named false-alarm rate: events with p <= alpha pass it. */
public record WorkingPoint(String name, double alpha) {

    public WorkingPoint {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("working point needs a name");
        }
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("working point alpha must be in (0, 1): " + alpha);
        }
    }
}
