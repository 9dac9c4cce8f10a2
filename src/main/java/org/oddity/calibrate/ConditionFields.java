package org.oddity.calibrate;

/** Names of the run-condition fields that calibration cells can split on. */
final class ConditionFields {

    static final String PILEUP = "pileup";
    static final String INST_LUMI = "instLumi";
    static final String DETECTOR_STATE = "detectorState";
    /** Prefix of a free-form condition, read from the {@code extra} map: {@code extra.NAME}. */
    static final String EXTRA_PREFIX = "extra.";

    private ConditionFields() {
    }

    /** The key into the extra map that {@code field} names, or null if it is not an {@code extra.NAME} field. */
    static String extraKey(String field) {
        return field.startsWith(EXTRA_PREFIX) && field.length() > EXTRA_PREFIX.length()
                ? field.substring(EXTRA_PREFIX.length()) : null;
    }
}
