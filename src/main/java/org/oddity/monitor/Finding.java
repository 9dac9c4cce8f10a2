package org.oddity.monitor;

import java.util.List;

/**
 * What one test measured in one window, and whether it fires: the evidence an alert update
 * carries. The run/lumisection range is that of the events tested.
 */
record Finding(AlertKey key, boolean firing, Severity severity, String statistic, double statisticValue,
        double rawPValue, double correctedPValue, double observed, double expected, RunRange range,
        List<String> topFeatures, String message) {

    Finding {
        topFeatures = List.copyOf(topFeatures);
    }

    /**
     * The finding of a single-window test: it fires when its corrected p-value is at most the
     * false discovery rate q, and is critical at or below the critical p-value.
     */
    static Finding ofTest(AlertKey key, String statistic, double statisticValue, double rawPValue,
            double correctedPValue, double observed, double expected, RunRange range, List<String> topFeatures,
            MonitorSettings settings, String message) {
        return new Finding(key, correctedPValue <= settings.falseDiscoveryRate(),
                Severity.of(correctedPValue, settings.criticalPValue()), statistic, statisticValue, rawPValue,
                correctedPValue, observed, expected, range, topFeatures, message);
    }
}
