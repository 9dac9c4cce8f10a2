package org.oddity.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.oddity.avro.AlertState;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.WindowSummary;

/**
 * What the dashboard shows of oddity's outputs, as read back from its topics: per window and
 * cell the events and flags per working point (the partials of every scoring task merged, a
 * partial seen twice counted once, as the monitor does) and the p-value histogram; the open
 * alerts and the latest raised or cleared ones; the latest flagged events. Bounded: the newest
 * {@code windows} windows and {@code latest} alerts and flags are kept.
 *
 * <p>Thread-safe: the feed's thread writes, the HTTP threads read snapshots.
 */
public final class DashboardState {

    private final int windowsKept;
    private final int latestKept;
    /** Window start (nanoseconds of event time), then cell. */
    private final TreeMap<Long, Map<String, CellCounts>> windows = new TreeMap<>();
    private final TreeMap<Long, long[]> pValueHistograms = new TreeMap<>();
    private final Set<String> partialsSeen = new HashSet<>();
    private final Map<String, DriftAlert> openAlerts = new TreeMap<>();
    private final ArrayDeque<DriftAlert> latestAlerts = new ArrayDeque<>();
    private final ArrayDeque<FlaggedEvent> latestFlags = new ArrayDeque<>();

    /** Events and flags per working point of one (window, cell), summed over partials. */
    private static final class CellCounts {
        long events;
        final Map<String, Long> flagged = new TreeMap<>();
    }

    /** Keeps the newest {@code windows} windows and the {@code latest} newest alerts and flags. */
    public DashboardState(int windows, int latest) {
        this.windowsKept = windows;
        this.latestKept = latest;
    }

    /** Merges one task's partial summary of a window and cell. */
    public synchronized void summary(WindowSummary summary) {
        long start = summary.getWindowStartNanos();
        if (!windows.containsKey(start) && windows.size() >= windowsKept && start < windows.firstKey()) {
            return;
        }
        String partial = start + "/" + summary.getCell() + "/" + summary.getStratum() + "/" + summary.getProducer();
        if (!partialsSeen.add(partial)) {
            return;
        }
        CellCounts counts = windows.computeIfAbsent(start, s -> new TreeMap<>())
                .computeIfAbsent(summary.getCell().toString(), c -> new CellCounts());
        counts.events += summary.getEvents();
        summary.getFlaggedPerWorkingPoint().forEach((point, n) -> counts.flagged.merge(point.toString(), n,
                Long::sum));
        List<Long> bins = summary.getPValueHistogram();
        long[] histogram = pValueHistograms.computeIfAbsent(start, s -> new long[bins.size()]);
        for (int i = 0; i < Math.min(bins.size(), histogram.length); i++) {
            histogram[i] += bins.get(i);
        }
        while (windows.size() > windowsKept) {
            long oldest = windows.pollFirstEntry().getKey();
            pValueHistograms.remove(oldest);
            partialsSeen.removeIf(key -> key.startsWith(oldest + "/"));
        }
    }

    /**
     * Takes an alert's new state: raised and ongoing ones are open, a cleared one is closed. Only
     * raising and clearing count among the latest alerts: an open alert is updated as ongoing in
     * every window it fires again, and those repeats would push the raisings out within seconds.
     */
    public synchronized void alert(DriftAlert alert) {
        String key = alert.getKind() + "|" + alert.getCell() + "|" + (alert.getFeature() == null ? ""
                : alert.getFeature());
        if (alert.getState() == AlertState.CLEARED) {
            openAlerts.remove(key);
        } else {
            openAlerts.put(key, alert);
        }
        if (alert.getState() == AlertState.ONGOING) {
            return;
        }
        latestAlerts.addFirst(alert);
        while (latestAlerts.size() > latestKept) {
            latestAlerts.removeLast();
        }
    }

    /** Takes a flagged event. */
    public synchronized void flag(FlaggedEvent flag) {
        latestFlags.addFirst(flag);
        while (latestFlags.size() > latestKept) {
            latestFlags.removeLast();
        }
    }

    /** Open alerts per kind. */
    public synchronized Map<String, Integer> openAlertsByKind() {
        Map<String, Integer> byKind = new TreeMap<>();
        for (DriftAlert alert : openAlerts.values()) {
            byKind.merge(alert.getKind().toString(), 1, Integer::sum);
        }
        return byKind;
    }

    /** Open alerts of {@code kind} now. */
    public synchronized int openAlerts(String kind) {
        return (int) openAlerts.values().stream().filter(alert -> kind.contentEquals(alert.getKind())).count();
    }

    /**
     * The windows, alerts and flags as plain maps and lists, for JSON: {@code windows} (oldest
     * first: start in milliseconds of event time, per cell events and flags per working point,
     * the p-value histogram), {@code openAlerts}, {@code latestAlerts} (raised or cleared) and
     * {@code latestFlags} (newest first).
     */
    public synchronized Map<String, Object> snapshot() {
        List<Map<String, Object>> windowList = new ArrayList<>();
        for (Map.Entry<Long, Map<String, CellCounts>> window : windows.entrySet()) {
            Map<String, Object> cells = new TreeMap<>();
            window.getValue().forEach((cell, counts) -> cells.put(cell, Map.of("events", counts.events,
                    "flagged", Map.copyOf(counts.flagged))));
            windowList.add(Map.of("startMillis", window.getKey() / 1_000_000L, "cells", cells,
                    "pValueHistogram", pValueHistograms.get(window.getKey()).clone()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windows", windowList);
        out.put("openAlerts", openAlerts.values().stream().map(DashboardState::alertView).toList());
        out.put("latestAlerts", latestAlerts.stream().map(DashboardState::alertView).toList());
        out.put("latestFlags", latestFlags.stream().map(DashboardState::flagView).toList());
        return out;
    }

    private static Map<String, Object> alertView(DriftAlert alert) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", alert.getKind().toString());
        view.put("state", alert.getState().name());
        view.put("severity", alert.getSeverity().toString());
        view.put("cell", alert.getCell().toString());
        view.put("feature", alert.getFeature() == null ? null : alert.getFeature().toString());
        view.put("statistic", alert.getStatistic().toString());
        view.put("correctedPValue", finite(alert.getCorrectedPValue()));
        view.put("windowStartMillis", alert.getWindowStartNanos() / 1_000_000L);
        view.put("runs", alert.getFirstRun() + ":" + alert.getFirstLumisection() + " to " + alert.getLastRun()
                + ":" + alert.getLastLumisection());
        view.put("topFeatures", alert.getTopFeatures().stream().map(CharSequence::toString).toList());
        view.put("message", alert.getMessage().toString());
        view.put("raisedAtMillis", alert.getRaisedAtMillis());
        return view;
    }

    private static Map<String, Object> flagView(FlaggedEvent flag) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", flag.getRun() + ":" + flag.getLumisection() + ":" + flag.getEvent());
        view.put("cell", flag.getCell().toString());
        view.put("score", finite(flag.getScore()));
        view.put("pValue", finite(flag.getPValue()));
        view.put("workingPoint", flag.getWorkingPoint().toString());
        view.put("modelVersion", flag.getModelVersion().toString());
        view.put("flaggedAtMillis", flag.getFlaggedAtMillis());
        List<Map<String, Object>> features = new ArrayList<>();
        for (FeatureContribution c : flag.getTopFeatures()) {
            Map<String, Object> feature = new LinkedHashMap<>();
            feature.put("feature", c.getFeature().toString());
            feature.put("contribution", finite(c.getContribution()));
            features.add(feature);
        }
        view.put("topFeatures", features);
        return view;
    }

    /** JSON has no NaN or infinity. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
