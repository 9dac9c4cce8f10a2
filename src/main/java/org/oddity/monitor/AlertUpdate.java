package org.oddity.monitor;

import java.util.List;

/**
 * One alert update to emit: a transition of the alert keyed by (kind, cell, feature), with the
 * evidence of the window that caused it.
 *
 * @param feature          the feature it is about, or null
 * @param statistic        what was computed, e.g. {@code exact binomial P(X >= x) at loose}
 * @param rawPValue        the test's p-value in this window; NaN if it did not run
 * @param correctedPValue  after the window's multiplicity correction; NaN if it did not run
 * @param observed         the count the test is about (flags, events in the most deviating bins, dead letters)
 * @param expected         what the null expects of that count
 * @param firstRun         run of the earliest event tested; 0 when no event gave one, as the lumisections
 * @param topFeatures      the cell's features by FEATURE_SHIFT evidence, smallest p-value (then largest G) first
 * @param raisedAtNanos    end of the window that raised the alert
 */
public record AlertUpdate(AlertKind kind, AlertState state, Severity severity, String cell, String feature,
        String statistic, double statisticValue, double rawPValue, double correctedPValue, double observed,
        double expected, long windowStartNanos, long windowEndNanos, long firstRun, int firstLumisection, long lastRun,
        int lastLumisection, List<String> topFeatures, String message, long raisedAtNanos) {

    public AlertUpdate {
        topFeatures = List.copyOf(topFeatures);
    }

    /** The update of {@code finding}'s alert to {@code state} in window [start, end). */
    static AlertUpdate of(AlertState state, Finding finding, long windowStartNanos, long windowEndNanos,
            long raisedAtNanos) {
        AlertKey key = finding.key();
        Severity severity = state == AlertState.CLEARED ? Severity.INFO : finding.severity();
        String message = state == AlertState.CLEARED ? "cleared: " + finding.message() : finding.message();
        return new AlertUpdate(key.kind(), state, severity, key.cell(), key.feature(), finding.statistic(),
                finding.statisticValue(), finding.rawPValue(), finding.correctedPValue(), finding.observed(),
                finding.expected(), windowStartNanos, windowEndNanos, finding.range().firstRun(),
                finding.range().firstLumisection(), finding.range().lastRun(), finding.range().lastLumisection(),
                finding.topFeatures(), message, raisedAtNanos);
    }

    /** The key of the alert this updates. */
    public AlertKey key() {
        return new AlertKey(kind, cell, feature);
    }
}
