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
}
