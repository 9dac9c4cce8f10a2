package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.oddity.avro.WindowSummary;

/**
 * Maps {@link CellWindowStats} to the {@link WindowSummary} Avro record and back. Working points
 * and features are keyed by name; merged producers travel as one comma-separated list, so a
 * merged aggregate can be stored as a WindowSummary too.
 */
public final class WindowSummaries {

    private WindowSummaries() {
    }

    /** The Avro form of {@code stats}. */
    public static WindowSummary toAvro(CellWindowStats stats) {
        SummaryLayout layout = stats.layout();
        long[] flagged = stats.flagged();
        Map<String, Long> flaggedByName = new LinkedHashMap<>();
        for (int k = 0; k < flagged.length; k++) {
            flaggedByName.put(layout.workingPoints().get(k), flagged[k]);
        }
        FeatureBinning binning = layout.binning();
        long[] counts = stats.featureHistograms();
        Map<String, List<Long>> features = new LinkedHashMap<>();
        for (int f = 0; f < binning.features(); f++) {
            int from = binning.slotStart(f);
            features.put(binning.featureNames().get(f), boxed(Arrays.copyOfRange(counts, from, from + binning.slots(f))));
        }
        return WindowSummary.newBuilder()
                .setWindowStartNanos(stats.windowStartNanos())
                .setWindowEndNanos(stats.windowEndNanos())
                .setCell(stats.cell())
                .setStratum(stats.stratum())
                .setModelVersion(stats.modelVersion())
                .setProducer(String.join(",", stats.producers()))
                .setEvents(stats.events())
                .setFlaggedPerWorkingPoint(flaggedByName)
                .setPValueHistogram(boxed(stats.pValueHistogram()))
                .setFeatureHistograms(features)
                .setDeadLetters(stats.deadLetters())
                .setFirstRun(stats.firstRun())
                .setFirstLumisection(stats.firstLumisection())
                .setLastRun(stats.lastRun())
                .setLastLumisection(stats.lastLumisection())
                .build();
    }

    /**
     * The counts of {@code summary} on {@code layout}. A working point the summary lacks counts
     * zero flags, and a summary without feature histograms counts none.
     *
     * @throws IllegalArgumentException if the summary does not fit the layout (another p-value
     *                                  binning, an unknown working point or feature, a histogram
     *                                  of the wrong length, some features but not all)
     */
    public static CellWindowStats fromAvro(WindowSummary summary, SummaryLayout layout) {
        Set<String> producers = new TreeSet<>(List.of(summary.getProducer().split(",", -1)));
        CellWindowStats stats = new CellWindowStats(summary.getWindowStartNanos(), summary.getWindowEndNanos(),
                summary.getCell(), summary.getStratum(), summary.getModelVersion(), producers, layout);
        String where = "window summary of cell " + summary.getCell() + " from " + summary.getProducer();
        long[] flagged = new long[layout.workingPoints().size()];
        for (Map.Entry<String, Long> e : summary.getFlaggedPerWorkingPoint().entrySet()) {
            int k = layout.workingPoints().indexOf(e.getKey());
            if (k < 0) {
                throw new IllegalArgumentException(where + " counts flags of unknown working point " + e.getKey()
                        + ", expected " + layout.workingPoints());
            }
            flagged[k] = e.getValue();
        }
        long[] pValues = unboxed(summary.getPValueHistogram(), layout.pValueBins(), where + " p-value histogram");
        FeatureBinning binning = layout.binning();
        Map<String, List<Long>> histograms = summary.getFeatureHistograms();
        long[] features = new long[binning.totalSlots()];
        if (!histograms.isEmpty()) {
            if (!binning.featureNames().containsAll(histograms.keySet()) || histograms.size() != binning.features()) {
                throw new IllegalArgumentException(where + " has histograms of features " + histograms.keySet()
                        + ", expected " + binning.featureNames());
            }
            for (int f = 0; f < binning.features(); f++) {
                String name = binning.featureNames().get(f);
                long[] h = unboxed(histograms.get(name), binning.slots(f), where + " histogram of " + name);
                System.arraycopy(h, 0, features, binning.slotStart(f), h.length);
            }
        }
        stats.restore(summary.getEvents(), summary.getDeadLetters(), flagged, pValues, features, summary.getFirstRun(),
                summary.getFirstLumisection(), summary.getLastRun(), summary.getLastLumisection());
        return stats;
    }

    private static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static long[] unboxed(List<Long> values, int length, String what) {
        if (values.size() != length) {
            throw new IllegalArgumentException(what + " has " + values.size() + " bins, expected " + length);
        }
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
