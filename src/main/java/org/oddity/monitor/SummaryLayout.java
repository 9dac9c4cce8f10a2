package org.oddity.monitor;

import java.util.List;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * What a {@link CellWindowStats} counts: the working points (one bit each of the pass mask,
 * loosest first), the number of equal p-value bins over [0, 1], and the feature binning.
 *
 * @param workingPoints working point names, loosest first, as in {@link WorkingPoints#loosestFirst()}
 * @param pValueBins    equal bins of the p-value histogram over [0, 1]
 * @param binning       the feature bins, {@link FeatureBinning#none()} for a model without reference histograms
 */
public record SummaryLayout(List<String> workingPoints, int pValueBins, FeatureBinning binning) {

    /** Default p-value bins: 20 bins of width 0.05, at least 5 expected events each from 100 events on. */
    public static final int DEFAULT_P_VALUE_BINS = 20;

    /** Most p-value bins. */
    public static final int MAX_P_VALUE_BINS = 10_000;

    public SummaryLayout {
        workingPoints = List.copyOf(workingPoints);
        if (workingPoints.isEmpty() || workingPoints.size() > WorkingPoints.MAX) {
            throw new IllegalArgumentException("between 1 and " + WorkingPoints.MAX + " working points are needed, not "
                    + workingPoints.size());
        }
        if (pValueBins < 1 || pValueBins > MAX_P_VALUE_BINS) {
            throw new IllegalArgumentException("p-value bins must be in [1, " + MAX_P_VALUE_BINS + "]: " + pValueBins);
        }
        if (binning == null) {
            throw new IllegalArgumentException("a layout needs a feature binning (FeatureBinning.none() for none)");
        }
    }

    /** The layout of {@code points}, with {@code pValueBins} p-value bins and the features of {@code binning}. */
    public static SummaryLayout of(WorkingPoints points, int pValueBins, FeatureBinning binning) {
        return new SummaryLayout(points.loosestFirst().stream().map(WorkingPoint::name).toList(), pValueBins, binning);
    }
}
