package org.oddity.model;

import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.WorkingPoints;

/**
 * A bundle made ready to score under the running settings: its calibration resolved over the
 * cell scheme, and the score threshold a single global calibration would apply at the loosest
 * working point (kept to show what per-cell calibration changes).
 */
public final class ScoringModel {

    private final ModelBundle bundle;
    private final CellScheme cells;
    private final WorkingPoints workingPoints;
    private final CalibrationTable table;
    private final double globalThreshold;

    private ScoringModel(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints, CalibrationTable table) {
        this.bundle = bundle;
        this.cells = cells;
        this.workingPoints = workingPoints;
        this.table = table;
        this.globalThreshold = table.global().threshold(workingPoints.loosest().alpha());
    }

    /**
     * Resolves {@code bundle}'s calibration over {@code cells}.
     *
     * @throws InvalidBundleException if the bundle's calibration cannot serve the working points
     */
    public static ScoringModel of(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints,
            int minimumCalibrationSize) throws InvalidBundleException {
        try {
            return new ScoringModel(bundle, cells, workingPoints,
                    CalibrationTable.resolve(cells, bundle.calibration(), minimumCalibrationSize));
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("model bundle " + bundle.directory() + ": " + e.getMessage(), e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public CellScheme cells() {
        return cells;
    }

    public WorkingPoints workingPoints() {
        return workingPoints;
    }

    public CalibrationTable table() {
        return table;
    }

    /** Scores above this would be flagged at the loosest working point by one global calibration. */
    public double globalThreshold() {
        return globalThreshold;
    }
}
