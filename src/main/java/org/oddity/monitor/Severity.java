package org.oddity.monitor;

import java.util.Locale;

/** How urgent an alert update is: from its corrected p-value while raised or ongoing, INFO once cleared. */
public enum Severity {
    /** A cleared alert. */
    INFO,
    /** Significant after correction, or a CUSUM signal. */
    WARNING,
    /** Corrected p-value at most {@link MonitorSettings#criticalPValue()}. */
    CRITICAL;

    /** The severity of a firing single-window test with corrected p-value {@code correctedP}. */
    static Severity of(double correctedP, double criticalPValue) {
        return correctedP <= criticalPValue ? CRITICAL : WARNING;
    }

    /** The name as alerts carry it: lower case, e.g. {@code critical}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
