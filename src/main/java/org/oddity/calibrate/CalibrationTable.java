package org.oddity.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calibration of one model version over a cell scheme: for every finest cell and every
 * working point, the first cell in the fallback order whose calibration set is large enough
 * for that working point, preferring an online set to the bundle's at the same cell.
 *
 * <p>A working point alpha needs n >= 1/alpha - 1 scores, because the smallest conformal
 * p-value is 1/(n + 1). Validity does not need it (P(p <= alpha) <= alpha holds for any n), but
 * a smaller set can never flag at alpha, so a cell too small for a tight working point falls
 * back to its coarser cell for that working point only, and keeps its own set for the looser
 * ones.
 */
public final class CalibrationTable {

    /** Source of a set from the model bundle (held-out background at training time). */
    public static final String BUNDLE = "bundle";
    /** Source of a set from the online calibration stream. */
    public static final String ONLINE = "online";

    private final ResolvedCell[][] resolved;
    private final ResolvedCell global;

    private CalibrationTable(ResolvedCell[][] resolved, ResolvedCell global) {
        this.resolved = resolved;
        this.global = global;
    }

    /**
     * Resolves every finest cell of {@code scheme} for one working point that needs
     * {@code minimumSize} scores, against the bundle's {@code sets} (keyed by cell name).
     *
     * @throws IllegalArgumentException if the global cell is missing or smaller than {@code minimumSize}
     */
    public static CalibrationTable resolve(CellScheme scheme, Map<String, CalibrationSet> sets, int minimumSize) {
        return resolve(scheme, Map.of(), sets, new int[] {minimumSize});
    }

    /**
     * Resolves every finest cell of {@code scheme} for every working point.
     *
     * @param online       online sets by cell name, preferred where large enough (may be empty)
     * @param bundle       the bundle's sets by cell name
     * @param minimumSizes smallest set each working point may use, loosest working point first
     * @throws IllegalArgumentException if neither source has a global set large enough for the
     *                                  tightest working point: then some events could never be flagged there
     */
    public static CalibrationTable resolve(CellScheme scheme, Map<String, ? extends ConformalCalibration> online,
            Map<String, ? extends ConformalCalibration> bundle, int[] minimumSizes) {
        int tightest = 0;
        for (int size : minimumSizes) {
            tightest = Math.max(tightest, size);
        }
        ResolvedCell global = pick(CellScheme.GLOBAL, CellScheme.GLOBAL, scheme.levels() - 1, online, bundle, tightest);
        if (global == null) {
            ConformalCalibration largest = largest(online.get(CellScheme.GLOBAL), bundle.get(CellScheme.GLOBAL));
            throw new IllegalArgumentException("calibration has " + (largest == null ? "no" : largest.size()
                    + " events in the") + " global cell; at least " + tightest
                    + " are needed for the tightest working point");
        }
        int finest = scheme.cellsAt(0);
        ResolvedCell[][] resolved = new ResolvedCell[finest][minimumSizes.length];
        for (int f = 0; f < finest; f++) {
            String requested = scheme.cellName(0, f);
            for (int k = 0; k < minimumSizes.length; k++) {
                for (int level = 0; level < scheme.levels() && resolved[f][k] == null; level++) {
                    resolved[f][k] = pick(requested, scheme.cellName(level, scheme.cellAt(level, f)), level, online,
                            bundle, minimumSizes[k]);
                }
            }
        }
        return new CalibrationTable(resolved, global);
    }

    private static ResolvedCell pick(String requested, String name, int level,
            Map<String, ? extends ConformalCalibration> online, Map<String, ? extends ConformalCalibration> bundle,
            int minimumSize) {
        ConformalCalibration set = online.get(name);
        if (set != null && set.size() >= minimumSize) {
            return new ResolvedCell(requested, name, level, ONLINE, set);
        }
        set = bundle.get(name);
        if (set != null && set.size() >= minimumSize) {
            return new ResolvedCell(requested, name, level, BUNDLE, set);
        }
        return null;
    }

    private static ConformalCalibration largest(ConformalCalibration a, ConformalCalibration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.size() >= b.size() ? a : b;
    }

    /** Calibration used for events of finest cell {@code finestCell} at the loosest working point. */
    public ResolvedCell cellFor(int finestCell) {
        return resolved[finestCell][0];
    }

    /** Calibration used for events of finest cell {@code finestCell} at working point {@code workingPoint} (loosest is 0). */
    public ResolvedCell cellFor(int finestCell, int workingPoint) {
        return resolved[finestCell][workingPoint];
    }

    /**
     * Writes into {@code out[k]} the conformal p-value of {@code score} at working point k
     * (loosest is 0) for an event of finest cell {@code finestCell}: each against its own
     * working point's set, with one lookup per distinct set and one {@code uniform} draw shared
     * by all, so that p-values from one set are equal. Allocation-free: the scoring path calls it
     * once per event.
     *
     * @param uniform    a U(0,1) draw, used only when {@code randomized}
     * @param randomized whether ties are broken by {@code uniform} (exactly uniform p) or counted
     *                   against the event (conservative p)
     */
    public void pValues(int finestCell, double score, double uniform, boolean randomized, double[] out) {
        ResolvedCell[] cells = resolved[finestCell];
        ConformalCalibration last = null;
        double p = 1;
        for (int k = 0; k < cells.length; k++) {
            ConformalCalibration set = cells[k].set();
            if (set != last) {
                last = set;
                p = randomized ? set.randomizedPValue(score, uniform) : set.pValue(score);
            }
            out[k] = p;
        }
    }

    /** Number of working points resolved. */
    public int workingPoints() {
        return resolved.length == 0 ? 0 : resolved[0].length;
    }

    /** The global cell's calibration for the tightest working point: what a single global threshold would use. */
    public ResolvedCell globalCell() {
        return global;
    }

    /** The global cell's set. */
    public ConformalCalibration global() {
        return global.set();
    }

    /** Every finest cell's resolution at the loosest working point, in finest-cell order. */
    public List<ResolvedCell> resolvedCells() {
        List<ResolvedCell> out = new ArrayList<>(resolved.length);
        for (ResolvedCell[] cell : resolved) {
            out.add(cell[0]);
        }
        return out;
    }
}
