package org.oddity.model;

import java.util.Map;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.WorkingPoints;

/**
 * A bundle made ready to score under the running settings: its calibration (the bundle's sets,
 * and online sets of the same model version where they are large enough) resolved over the
 * cell scheme for every working point, and the score threshold a single global calibration
 * would apply at the loosest working point (kept to show what per-cell calibration changes).
 */
public final class ScoringModel {

    private final ModelBundle bundle;
    private final CellScheme cells;
    private final WorkingPoints workingPoints;
    private final int minimumCalibrationSize;
    private final CalibrationTable table;
    private final double globalThreshold;

    private ScoringModel(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints, int minimumCalibrationSize,
            CalibrationTable table) {
        this.bundle = bundle;
        this.cells = cells;
        this.workingPoints = workingPoints;
        this.minimumCalibrationSize = minimumCalibrationSize;
        this.table = table;
        this.globalThreshold = table.global().threshold(workingPoints.loosest().alpha());
    }

    /**
     * Resolves {@code bundle}'s own calibration over {@code cells}.
     *
     * @param minimumCalibrationSize floor on every working point's minimum set size (0 for none)
     * @throws InvalidBundleException if the bundle's calibration cannot serve the working points
     */
    public static ScoringModel of(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints,
            int minimumCalibrationSize) throws InvalidBundleException {
        return of(bundle, cells, workingPoints, minimumCalibrationSize, Map.of());
    }

    /**
     * Resolves {@code bundle}'s calibration over {@code cells}, preferring {@code online} sets
     * (by cell name, scored by this bundle's model) where they are large enough.
     *
     * @throws InvalidBundleException if the calibration cannot serve the working points
     */
    public static ScoringModel of(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints,
            int minimumCalibrationSize, Map<String, CalibrationSet> online) throws InvalidBundleException {
        try {
            return new ScoringModel(bundle, cells, workingPoints, minimumCalibrationSize, CalibrationTable.resolve(
                    cells, online, bundle.calibration(), workingPoints.minimumSizes(minimumCalibrationSize)));
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("model bundle " + bundle.directory() + ": " + e.getMessage(), e);
        }
    }

    /** This model with {@code online} sets in place of any it had. */
    public ScoringModel withOnline(Map<String, CalibrationSet> online) throws InvalidBundleException {
        return of(bundle, cells, workingPoints, minimumCalibrationSize, online);
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

    /** Floor on every working point's minimum calibration set size, as this model was resolved with. */
    public int minimumCalibrationSize() {
        return minimumCalibrationSize;
    }

    /** Scores above this would be flagged at the loosest working point by one global calibration. */
    public double globalThreshold() {
        return globalThreshold;
    }
}
