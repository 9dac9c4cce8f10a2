package org.oddity.monitor;

/**
 * What an alert is about. The first four come from one window's tests, corrected for
 * multiplicity; the CUSUM kinds from Page's CUSUM over windows, on the same tests' normal scores.
 */
public enum AlertKind {
    /** More flagged events than alpha allows, at some working point of a cell (exact binomial, upper tail). */
    FLAG_RATE,
    /** A cell's p-values are not uniform (Pearson chi-square on the p-value histogram). */
    P_UNIFORMITY,
    /** A feature's histogram in a cell differs from the reference (chi-square test of homogeneity). */
    FEATURE_SHIFT,
    /** More dead letters than the tolerated rate, over all cells of the window (exact binomial, upper tail). */
    INPUT_ERRORS,
    /** A small persistent excess of flags in a cell at the loosest working point (CUSUM of the mid-p normal scores). */
    FLAG_RATE_CUSUM,
    /** A small persistent shift of a feature in a cell (CUSUM of the homogeneity test's normal scores). */
    FEATURE_SHIFT_CUSUM
}
