package org.oddity.monitor;

/**
 * What an alert is about. The first four come from one window's tests, corrected for
 * multiplicity; the CUSUM kinds from Page's CUSUM over windows, on the same tests' normal scores.
 */
public enum AlertKind {
    /**
     * More flagged events at some working point of a cell than the reference has at the window's
     * pileup (exact conditional test), or, without reference p-values, than alpha allows (exact binomial).
     */
    FLAG_RATE,
    /**
     * A cell's p-values are distributed unlike the reference's at the window's pileup (likelihood-ratio
     * G-test of homogeneity within strata), or, without reference p-values, not uniformly (Pearson chi-square).
     */
    P_UNIFORMITY,
    /** A feature's histogram in a cell differs from the reference at the window's pileup (likelihood-ratio G-test within strata). */
    FEATURE_SHIFT,
    /** More dead letters than the tolerated rate, over all cells of the window (exact binomial, upper tail). */
    INPUT_ERRORS,
    /** A small persistent excess of flags in a cell at the loosest working point (CUSUM of the mid-p normal scores). */
    FLAG_RATE_CUSUM,
    /** A small persistent shift of a feature in a cell (CUSUM of the G-test's normal scores). */
    FEATURE_SHIFT_CUSUM
}
