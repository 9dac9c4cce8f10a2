package org.oddity.monitor;

import java.util.Map;

/**
 * What the monitor compares one model version's windows with: its reference, how p-values are
 * computed, and where each cell's p-values come from.
 *
 * <p>The reference's p-values are leave-one-out against each cell's own bundle set, so a window's
 * flags and p-values are compared with them only where scoring uses that same set: the table
 * resolves the cell at that working point to itself (no fallback to a coarser cell) from the
 * bundle (not the online calibration). Elsewhere the window's flags are tested against the
 * working point's alpha, which the conformal guarantee bounds on average over the cell.
 *
 * @param histograms     the reference, or null for a version without one
 * @param randomized     whether scoring breaks ties with a uniform draw
 * @param ownCalibration per finest cell name, per working point (loosest first), whether scoring
 *                       uses the cell's own bundle set
 */
public record VersionReference(ReferenceHistograms histograms, boolean randomized,
        Map<String, boolean[]> ownCalibration) {

    /** A version without a reference. */
    public static final VersionReference NONE = new VersionReference(null, false, Map.of());

    public VersionReference {
        ownCalibration = Map.copyOf(ownCalibration);
    }

    /** Whether the flags of {@code cell} at working point {@code workingPoint} can be compared with the reference's p-values. */
    public boolean comparesPValues(String cell, int workingPoint) {
        boolean[] own = ownCalibration.get(cell);
        return histograms != null && own != null && workingPoint < own.length && own[workingPoint];
    }
}
