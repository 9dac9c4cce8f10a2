package org.oddity.sim;

/** Detector configuration as a function of fill time: a nominal state with periodic degraded windows. */
public record DetectorSchedule(String nominalState, String degradedState, double periodSeconds, double degradedFraction) {

    public static final String ALL_IN = "ALL_IN";
    /** ECAL endcaps off: endcap e/gamma are lost and their energy shows up as missing energy. */
    public static final String ECAL_ENDCAP_OUT = "ECAL_ENDCAP_OUT";

    /**
     * Eight periods per fill make every pileup bin of the standard fill (the shortest, 25-30, lasts 1.7 periods)
     * contain at least one whole degraded window, so a per-(pileup, state) calibration cell is never empty.
     */
    private static final int STANDARD_PERIODS_PER_FILL = 8;
    private static final double STANDARD_DEGRADED_FRACTION = 0.25;

    public DetectorSchedule {
        if (nominalState == null || nominalState.isBlank() || degradedState == null || degradedState.isBlank()) {
            throw new IllegalArgumentException(
                    "detector states must be non-blank, got nominal=" + nominalState + " degraded=" + degradedState);
        }
        if (nominalState.equals(degradedState)) {
            throw new IllegalArgumentException("nominal and degraded state must differ, both are " + nominalState);
        }
        if (!(periodSeconds > 0.0) || Double.isInfinite(periodSeconds)) {
            throw new IllegalArgumentException("periodSeconds must be positive and finite, got " + periodSeconds);
        }
        if (!(degradedFraction >= 0.0 && degradedFraction <= 1.0)) {
            throw new IllegalArgumentException("degradedFraction must be in [0, 1], got " + degradedFraction);
        }
    }

    public static DetectorSchedule standard(double fillDurationSeconds) {
        return new DetectorSchedule(ALL_IN, ECAL_ENDCAP_OUT,
                fillDurationSeconds / STANDARD_PERIODS_PER_FILL, STANDARD_DEGRADED_FRACTION);
    }

    /** The degraded window closes each period, so a fill starts with the whole detector in. */
    public String stateAt(double secondsIntoFill) {
        double phase = secondsIntoFill / periodSeconds - Math.floor(secondsIntoFill / periodSeconds);
        return phase >= 1.0 - degradedFraction ? degradedState : nominalState;
    }
}
