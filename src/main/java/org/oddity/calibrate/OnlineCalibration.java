package org.oddity.calibrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The online calibration sets an instance knows, per (model version, cell): the union of the
 * latest snapshot of every source (each task reading the calibration stream publishes its own),
 * and which cells' calibration has gone stale.
 *
 * <p>Safe to call from several threads: updates arrive on the thread reading the snapshot topic,
 * staleness is checked by the scoring threads.
 */
public final class OnlineCalibration {

    /** A cell whose online calibration became stale, or fresh again. */
    public record StaleChange(String modelVersion, String cell, boolean stale, long newestPublishedAtMillis) {
    }

    private record Part(CalibrationSet scores, long publishedAtMillis) {
    }

    /** version, then cell, then source. */
    private final Map<String, Map<String, Map<String, Part>>> parts = new HashMap<>();
    private final Map<String, Map<String, CalibrationSet>> merged = new HashMap<>();
    private final Set<String> stale = new HashSet<>();

    /**
     * Takes the latest snapshot of one source for (version, cell); an empty one withdraws the
     * source. Returns every cell's merged set for {@code version}, a copy.
     */
    public synchronized Map<String, CalibrationSet> update(String version, String cell, String source,
            CalibrationSet scores, long publishedAtMillis) {
        Map<String, Part> sources = parts.computeIfAbsent(version, v -> new HashMap<>())
                .computeIfAbsent(cell, c -> new HashMap<>());
        if (scores.size() == 0) {
            sources.remove(source);
        } else {
            sources.put(source, new Part(scores, publishedAtMillis));
        }
        Map<String, CalibrationSet> cells = merged.computeIfAbsent(version, v -> new HashMap<>());
        if (sources.isEmpty()) {
            cells.remove(cell);
        } else {
            cells.put(cell, CalibrationSet.union(sources.values().stream().map(Part::scores).toList()));
        }
        return Map.copyOf(cells);
    }

    /** Every cell's merged online set for {@code version} (empty if none), a copy. */
    public synchronized Map<String, CalibrationSet> sets(String version) {
        return Map.copyOf(merged.getOrDefault(version, Map.of()));
    }

    /**
     * When the newest snapshot of ({@code version}, {@code cell}) was published, in milliseconds
     * since the epoch, over all sources; -1 if there is none.
     */
    public synchronized long newestPublishedAtMillis(String version, String cell) {
        return parts.getOrDefault(version, Map.of()).getOrDefault(cell, Map.of()).values().stream()
                .mapToLong(Part::publishedAtMillis).max().orElse(-1);
    }

    /** Forgets every version but {@code keep}, e.g. after a model switch. */
    public synchronized void retainOnly(Set<String> keep) {
        parts.keySet().retainAll(keep);
        merged.keySet().retainAll(keep);
        stale.removeIf(key -> !keep.contains(key.substring(0, key.indexOf('\n'))));
    }

    /**
     * The cells of {@code version} that turned stale (newest snapshot published more than
     * {@code maxAge} before {@code nowMillis}) or fresh again since the last call; each change
     * is handed out once, whichever thread asks.
     */
    public synchronized List<StaleChange> staleChanges(String version, long nowMillis, Duration maxAge) {
        List<StaleChange> changes = new ArrayList<>();
        if (maxAge.isZero()) {
            return changes;
        }
        for (Map.Entry<String, Map<String, Part>> cell : parts.getOrDefault(version, Map.of()).entrySet()) {
            if (cell.getValue().isEmpty()) {
                continue;
            }
            long newest = cell.getValue().values().stream().mapToLong(Part::publishedAtMillis).max().orElseThrow();
            boolean isStale = nowMillis - newest > maxAge.toMillis();
            String key = version + "\n" + cell.getKey();
            if (isStale ? stale.add(key) : stale.remove(key)) {
                changes.add(new StaleChange(version, cell.getKey(), isStale, newest));
            }
        }
        return changes;
    }
}
