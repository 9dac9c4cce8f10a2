package org.oddity.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.oddity.avro.FailureStage;

/**
 * What a demo run measured: totals, and per finest cell the conditional (per-cell calibrated)
 * flag rate next to the rate one global threshold would have given on the same events.
 *
 * @param events          input records published, bad ones included
 * @param flagged         flagged events read back from the anomalies topic
 * @param deadLetters     records read back from the dead-letter topic
 * @param deadLettersByStage the same, by the stage that refused them
 * @param alpha           alpha of the loosest working point, the flagging threshold
 * @param modelVersion    version of the model that scored
 * @param eventsPerSecond input records processed per second of wall clock, first send to last scored
 * @param cells           one row per finest cell that saw events
 * @param scenario        the scenario file streamed, or null for the standard fill
 * @param windowsTested   windows the monitor tested
 * @param eventsTested    scored events in those windows: all of them, when no summary came too late
 * @param alerts          every alert update the monitor (and the model checks) published, in order
 */
record DemoReport(long events, long flagged, long deadLetters, Map<FailureStage, Long> deadLettersByStage,
        double alpha, String modelVersion,
        double eventsPerSecond, List<Cell> cells, String scenario, long windowsTested, long eventsTested,
        List<Alert> alerts) {

    /**
     * One alert update.
     *
     * @param kind             e.g. FLAG_RATE, FEATURE_SHIFT, INPUT_ERRORS, MODEL_REFUSED
     * @param state            RAISED, ONGOING or CLEARED
     * @param cell             the cell it concerns (global for input errors)
     * @param feature          the feature, for a feature shift; null otherwise
     * @param windowStart      start of the window it was tested on, ISO-8601 event time
     * @param correctedPValue  its p-value after the multiple-testing correction
     * @param firstLumisection first lumisection of that window
     * @param topFeatures      the most shifted features in that window and cell
     */
    record Alert(String kind, String state, String cell, String feature, String windowStart, double correctedPValue,
            int firstLumisection, List<String> topFeatures) {
    }

    /**
     * One cell's row.
     *
     * @param cell                    the finest cell the events' conditions select
     * @param calibrationCell         the cell whose calibration was used (after fallback)
     * @param calibrationSize         its number of calibration scores
     * @param events                  events scored in the cell
     * @param flagged                 of them, flagged (read back from the anomalies topic)
     * @param flagRate                flagged / events
     * @param binomialSigma           sqrt(alpha (1 - alpha) / events)
     * @param within3Sigma            |flagRate - alpha| <= 3 binomialSigma
     * @param globalThresholdFlagRate rate one global calibration's threshold would have flagged
     */
    record Cell(String cell, String calibrationCell, int calibrationSize, long events, long flagged, double flagRate,
            double binomialSigma, boolean within3Sigma, double globalThresholdFlagRate) {
    }

    /** Input records that are in no cell's count and not a dead letter: 0 when nothing was lost. */
    long unaccounted() {
        return events - deadLetters - cells.stream().mapToLong(Cell::events).sum();
    }

    /** Lines of alerts raised or cleared that the printout lists; the report has them all. */
    private static final int PRINTED_ALERTS = 20;

    /** Prints the per-cell table and the alerts. */
    void print(PrintStream out) {
        int width = Math.max(30, cells.stream().mapToInt(c -> c.cell().length()).max().orElse(0));
        out.printf("%n%-" + width + "s %10s %8s %10s %7s %10s %13s%n", "cell", "events", "flagged", "flag rate",
                "alpha", "3 sigma", "global thr.");
        for (Cell c : cells) {
            out.printf("%-" + width + "s %,10d %,8d %9.3f%% %6.2f%% %10s %12.3f%%%n", c.cell(), c.events(), c.flagged(),
                    100 * c.flagRate(), 100 * alpha, c.within3Sigma() ? "within" : "OUTSIDE",
                    100 * c.globalThresholdFlagRate());
        }
        Map<String, Long> raisedByKind = new TreeMap<>();
        alerts.stream().filter(a -> a.state().equals("RAISED")).forEach(a -> raisedByKind.merge(a.kind(), 1L, Long::sum));
        out.printf("%nmonitor: %,d windows tested, holding %,d events%n", windowsTested, eventsTested);
        out.printf("alerts: %,d updates, raised by kind %s%n", alerts.size(), raisedByKind);
        // One line per (state, kind, cell, window): a fault shifts many features of a cell at once.
        Map<String, List<Alert>> groups = new LinkedHashMap<>();
        for (Alert a : alerts) {
            if (!a.state().equals("ONGOING")) {
                groups.computeIfAbsent(a.state() + "|" + a.kind() + "|" + a.cell() + "|" + a.windowStart(),
                        k -> new ArrayList<>()).add(a);
            }
        }
        List<List<Alert>> lines = List.copyOf(groups.values());
        for (List<Alert> group : lines.subList(0, Math.min(lines.size(), PRINTED_ALERTS))) {
            Alert a = group.get(0);
            List<String> features = group.stream().sorted(Comparator.comparingDouble(Alert::correctedPValue))
                    .map(Alert::feature).filter(f -> f != null).toList();
            String what = features.isEmpty() ? "" : features.size() == 1 ? " " + features.get(0)
                    : String.format(" %d features (%s%s)", features.size(), String.join(", ",
                            features.subList(0, Math.min(3, features.size()))), features.size() > 3 ? ", ..." : "");
            out.printf("  %-8s %-20s %s%s from %s (lumisection %d), corrected p %.3g%n", a.state(), a.kind(),
                    a.cell(), what, a.windowStart(), a.firstLumisection(),
                    group.stream().mapToDouble(Alert::correctedPValue).min().orElse(Double.NaN));
        }
        if (lines.size() > PRINTED_ALERTS) {
            out.printf("  ... %,d more lines of raised or cleared alerts in the report%n", lines.size() - PRINTED_ALERTS);
        }
        out.printf("%ntotal: %,d events, %,d flagged, %,d dead letters %s; model %s; %,.0f events/s sustained%n",
                events, flagged, deadLetters, deadLettersByStage, modelVersion, eventsPerSecond);
    }
}
