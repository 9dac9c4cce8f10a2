package org.oddity.monitor;

import org.oddity.avro.DriftAlert;

/** Maps an {@link AlertUpdate} to the DriftAlert Avro record. */
public final class DriftAlerts {

    private DriftAlerts() {
    }

    /** The Avro form of {@code update}; its raising time is the end of the raising window, in milliseconds. */
    public static DriftAlert toAvro(AlertUpdate update) {
        return DriftAlert.newBuilder()
                .setKind(update.kind().name())
                .setState(org.oddity.avro.AlertState.valueOf(update.state().name()))
                .setSeverity(update.severity().label())
                .setCell(update.cell())
                .setFeature(update.feature())
                .setStatistic(update.statistic())
                .setStatisticValue(update.statisticValue())
                .setRawPValue(update.rawPValue())
                .setCorrectedPValue(update.correctedPValue())
                .setObserved(update.observed())
                .setExpected(update.expected())
                .setWindowStartNanos(update.windowStartNanos())
                .setWindowEndNanos(update.windowEndNanos())
                .setFirstRun(update.firstRun())
                .setFirstLumisection(update.firstLumisection())
                .setLastRun(update.lastRun())
                .setLastLumisection(update.lastLumisection())
                .setTopFeatures(update.topFeatures())
                .setMessage(update.message())
                .setRaisedAtMillis(Math.floorDiv(update.raisedAtNanos(), 1_000_000L))
                .build();
    }
}
