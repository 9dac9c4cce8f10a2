package org.oddity.bundle;

import java.util.HashMap;
import java.util.Map;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ConformalCalibration;
import org.oddity.calibrate.SketchCalibration;
import org.oddity.calibrate.WorkingPoints;

/**
 * A bundle made ready to score under the running settings: its calibration (the bundle's sets,
 * and online sets of the same model version where they are large enough) resolved over the
 * cell scheme for every working point, and the score threshold a single global calibration
 * would apply at the loosest working point (kept to show what per-cell calibration changes).
 *
 * <p>In bounded-memory mode (a sketch accuracy k > 0) every set is held as a REQ sketch
 * ({@link SketchCalibration}, relative error of p about 0.13 / k), and the bundle's exact sets
 * are let go once sketched.
 */
public final class ScoringModel {

    private final ModelBundle bundle;
    private final CellScheme cells;
    private final WorkingPoints workingPoints;
    private final int minimumCalibrationSize;
    private final int sketchK;
    private final Map<String, ? extends ConformalCalibration> bundleSets;
    private final CalibrationTable table;
    private final double globalThreshold;

    private ScoringModel(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints, int minimumCalibrationSize,
            int sketchK, Map<String, ? extends ConformalCalibration> bundleSets, CalibrationTable table) {
        this.bundle = bundle;
        this.cells = cells;
        this.workingPoints = workingPoints;
        this.minimumCalibrationSize = minimumCalibrationSize;
        this.sketchK = sketchK;
        this.bundleSets = bundleSets;
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
        return of(bundle, cells, workingPoints, minimumCalibrationSize, online, 0);
    }

    /**
     * As {@link #of(ModelBundle, CellScheme, WorkingPoints, int, Map)}, holding every set as a
     * sketch of accuracy {@code sketchK} when it is positive (bounded memory), exactly when 0.
     */
    public static ScoringModel of(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints,
            int minimumCalibrationSize, Map<String, CalibrationSet> online, int sketchK) throws InvalidBundleException {
        if (sketchK == 0) {
            return resolved(bundle, cells, workingPoints, minimumCalibrationSize, 0, bundle.calibration(), online);
        }
        return resolved(bundle.withoutCalibration(), cells, workingPoints, minimumCalibrationSize, sketchK,
                sketched(bundle.calibration(), sketchK), sketched(online, sketchK));
    }

    private static ScoringModel resolved(ModelBundle bundle, CellScheme cells, WorkingPoints workingPoints,
            int minimumCalibrationSize, int sketchK, Map<String, ? extends ConformalCalibration> bundleSets,
            Map<String, ? extends ConformalCalibration> online) throws InvalidBundleException {
        try {
            return new ScoringModel(bundle, cells, workingPoints, minimumCalibrationSize, sketchK, bundleSets,
                    CalibrationTable.resolve(cells, online, bundleSets,
                            workingPoints.minimumSizes(minimumCalibrationSize)));
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("model bundle " + bundle.directory() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, SketchCalibration> sketched(Map<String, CalibrationSet> sets, int k) {
        Map<String, SketchCalibration> out = new HashMap<>();
        sets.forEach((cell, set) -> out.put(cell, SketchCalibration.of(set.sortedScores(), k)));
        return out;
    }

    /** This model with {@code online} sets in place of any it had; the bundle's sets are reused as they are. */
    public ScoringModel withOnline(Map<String, CalibrationSet> online) throws InvalidBundleException {
        return resolved(bundle, cells, workingPoints, minimumCalibrationSize, sketchK, bundleSets,
                sketchK == 0 ? online : sketched(online, sketchK));
    }

    /** Sketch accuracy k of every set in bounded-memory mode; 0 when the sets are exact. */
    public int sketchK() {
        return sketchK;
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
