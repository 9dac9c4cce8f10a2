package org.oddity.sim;

import java.util.Objects;

/**
 * One signal of a scenario: each event in [startSeconds, endSeconds) of event time is, with {@code probability},
 * a {@code kind} event of resonance mass {@code mass} GeV and relative Breit-Wigner width {@code width}.
 */
public record SignalInjection(SignalKind kind, double probability, double startSeconds, double endSeconds, double mass,
        double width) {

    /** Most massive resonance: half the 13 TeV collision energy leaves room for its rapidity spread. */
    public static final double MAX_MASS = 6500.0;
    /** Widths beyond this are no resonance; the sampler cuts the Breit-Wigner at 5 widths either side. */
    public static final double MAX_WIDTH = 0.5;

    public SignalInjection {
        Objects.requireNonNull(kind, "kind");
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        if (!(startSeconds >= 0.0) || !(endSeconds > startSeconds)) {
            throw new IllegalArgumentException(
                    "need 0 <= startSeconds < endSeconds, got " + startSeconds + " and " + endSeconds);
        }
        if (!(mass >= kind.minimumMass() && mass <= MAX_MASS)) {
            throw new IllegalArgumentException(
                    "mass of " + kind.label() + " must be in [" + kind.minimumMass() + ", " + MAX_MASS + "], got "
                            + mass);
        }
        if (!(width >= 0.0 && width <= MAX_WIDTH)) {
            throw new IllegalArgumentException("width must be in [0, " + MAX_WIDTH + "], got " + width);
        }
    }

    /** A signal at the kind's default mass and width. */
    public static SignalInjection of(SignalKind kind, double probability, double startSeconds, double endSeconds) {
        return new SignalInjection(kind, probability, startSeconds, endSeconds, kind.defaultMass(),
                kind.defaultWidth());
    }

    /** Whether event time {@code t} (seconds into the run) lies in the window. */
    public boolean activeAt(double t) {
        return t >= startSeconds && t < endSeconds;
    }
}
