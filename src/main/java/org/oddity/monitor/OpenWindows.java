package org.oddity.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The windows the monitor is still merging, oldest first: per window, one merged summary per
 * (cell, stratum, model version), into which the partials of every task are merged. Not
 * thread-safe.
 */
public final class OpenWindows {

    private final TreeMap<Long, Map<String, CellWindowStats>> byStart = new TreeMap<>();

    /**
     * Merges {@code partial} into its window; the first partial of a (cell, stratum, model
     * version) becomes the merged summary.
     *
     * @return false if every producer of {@code partial} was merged already (a redelivery, skipped)
     * @throws IllegalArgumentException as {@link CellWindowStats#merge} does
     */
    public boolean add(CellWindowStats partial) {
        CellWindowStats merged = byStart.computeIfAbsent(partial.windowStartNanos(), s -> new HashMap<>())
                .putIfAbsent(mergeKey(partial), partial);
        return merged == null || merged.merge(partial);
    }

    /** What a partial is merged by within its window: {@code CELL\nSTRATUM\nVERSION}. */
    public static String mergeKey(CellWindowStats partial) {
        return partial.cell() + "\n" + partial.stratum() + "\n" + partial.modelVersion();
    }

    /** Whether no window is open. */
    public boolean isEmpty() {
        return byStart.isEmpty();
    }

    /** Whether the oldest open window starts before {@code windowStartNanos}. */
    public boolean hasWindowBefore(long windowStartNanos) {
        return !byStart.isEmpty() && byStart.firstKey() < windowStartNanos;
    }

    /** Removes the oldest open window and returns its merged summaries; there must be one. */
    public List<CellWindowStats> pollOldest() {
        return new ArrayList<>(byStart.pollFirstEntry().getValue().values());
    }
}
