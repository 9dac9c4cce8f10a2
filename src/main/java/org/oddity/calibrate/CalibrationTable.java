package org.oddity.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calibration of one model version over a cell scheme: for every finest cell, the first
 * cell in the fallback order whose calibration set is large enough.
 *
 * <p>A working point alpha needs n >= 1/alpha - 1 scores, because the smallest conformal
 * p-value is 1/(n + 1); a cell below the minimum size falls back to its coarser cell.
 */
public final class CalibrationTable {

    private final ResolvedCell[] resolved;
    private final CalibrationSet global;

    private CalibrationTable(ResolvedCell[] resolved, CalibrationSet global) {
        this.resolved = resolved;
        this.global = global;
    }

    /**
     * Resolves every finest cell of {@code scheme} against {@code sets} (keyed by cell name).
     *
     * @throws IllegalArgumentException if the global cell is missing or smaller than
     *                                  {@code minimumSize}: then no event could be calibrated
     */
    public static CalibrationTable resolve(CellScheme scheme, Map<String, CalibrationSet> sets, int minimumSize) {
        CalibrationSet global = sets.get(CellScheme.GLOBAL);
        if (global == null || global.size() < minimumSize) {
            throw new IllegalArgumentException("calibration has " + (global == null ? "no" : global.size() + " events in the")
                    + " global cell; at least " + minimumSize + " are needed for the tightest working point");
        }
        int finest = scheme.cellsAt(0);
        ResolvedCell[] resolved = new ResolvedCell[finest];
        for (int f = 0; f < finest; f++) {
            String requested = scheme.cellName(0, f);
            for (int level = 0; level < scheme.levels(); level++) {
                String name = scheme.cellName(level, scheme.cellAt(level, f));
                CalibrationSet set = sets.get(name);
                if (set != null && set.size() >= minimumSize) {
                    resolved[f] = new ResolvedCell(requested, name, level, set);
                    break;
                }
            }
        }
        return new CalibrationTable(resolved, global);
    }

    /** Calibration used for events of finest cell {@code finestCell}. */
    public ResolvedCell cellFor(int finestCell) {
        return resolved[finestCell];
    }

    /** The global cell's set: what a single global threshold would use. */
    public CalibrationSet global() {
        return global;
    }

    /** Every finest cell's resolution, in finest-cell order. */
    public List<ResolvedCell> resolvedCells() {
        return new ArrayList<>(List.of(resolved));
    }
}
