package org.oddity.monitor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model versions whose window summaries the monitor may still receive, each with the layout
 * its summaries are counted on and what its windows are compared with: the few it ran last, so
 * that the partials of a version swapped out mid-window still merge. Not thread-safe.
 */
public final class ModelVersions {

    private record Version(SummaryLayout layout, VersionReference reference) {
    }

    private final int kept;
    private final Map<String, Version> versions = new LinkedHashMap<>();

    /** @param kept how many versions are kept, the newest ones */
    public ModelVersions(int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("at least one model version must be kept: " + kept);
        }
        this.kept = kept;
    }

    /**
     * Registers {@code version} as the newest, or renews it (a new calibration of the same version
     * changes where its cells' p-values come from); the oldest beyond the number kept is forgotten.
     */
    public void put(String version, SummaryLayout layout, VersionReference reference) {
        versions.remove(version);
        versions.put(version, new Version(layout, reference));
        while (versions.size() > kept) {
            versions.remove(versions.keySet().iterator().next());
        }
    }

    /** The layout of {@code version}'s summaries, null for a version not kept. */
    public SummaryLayout layout(String version) {
        Version v = versions.get(version);
        return v == null ? null : v.layout();
    }

    /** What {@code version}'s windows are compared with, {@link VersionReference#NONE} for a version not kept. */
    public VersionReference reference(String version) {
        Version v = versions.get(version);
        return v == null ? VersionReference.NONE : v.reference();
    }
}
