package org.oddity.monitor;

/**
 * One working point's test of a cell's flag rate in a window: an exact upper-tail p-value, the
 * events it covered, those flagged, and the flags expected of them.
 *
 * @param pValue           P(X >= observed), NaN where the test could not run
 * @param events           events the test covered: those of strata the reference has when against it, else all
 * @param observed         flagged events among them
 * @param expected         flags expected of them, from the reference's flag rate or the working point's alpha
 * @param againstReference whether the reference's flags at the window's pileup, not alpha, were the null
 */
record FlagRateTest(double pValue, long events, double observed, double expected, boolean againstReference) {

    static final FlagRateTest UNTESTED = new FlagRateTest(Double.NaN, 0, 0.0, 0.0, false);

    /** Whether the test ran. */
    boolean tested() {
        return !Double.isNaN(pValue);
    }
}
