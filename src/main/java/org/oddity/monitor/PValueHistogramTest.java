package org.oddity.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The test of a cell window's p-value histogram: where the reference has leave-one-out p-values
 * for every matched stratum on bins the window's can be regrouped to, a likelihood-ratio G-test
 * of homogeneity with them stratum by stratum ({@link LikelihoodRatioTest}); else Pearson's test
 * of the whole window's histogram against uniformity ({@link PearsonChiSquare}).
 *
 * @param result           the test's outcome
 * @param againstReference whether the reference's p-values, not uniformity, were the null
 */
record PValueHistogramTest(HistogramTestResult result, boolean againstReference) {

    /** Tests the p-values of {@code strata}, one cell's window, of which {@code matched} can be compared with the reference. */
    static PValueHistogramTest run(List<CellWindowStats> strata, MatchedStrata matched, SummaryLayout layout,
            VersionReference reference) {
        int bins = layout.pValueBins();
        List<long[]> referencePValues = new ArrayList<>();
        if (matched.withPValues() && reference.comparesPValues(strata.get(0).cell(), 0)) {
            for (ReferenceHistograms.Stratum r : matched.reference()) {
                long[] regrouped = PValueGrid.regroup(r.pValues(reference.randomized()), bins);
                if (regrouped == null) {
                    break;
                }
                referencePValues.add(regrouped);
            }
        }
        if (!matched.isEmpty() && referencePValues.size() == matched.window().size()) {
            return new PValueHistogramTest(LikelihoodRatioTest.stratifiedHomogeneity(
                    matched.window().stream().map(CellWindowStats::pValueHistogram).toList(), referencePValues, 0,
                    bins), true);
        }
        long[] pValues = new long[bins];
        for (CellWindowStats s : strata) {
            Counts.add(pValues, s.pValueHistogram());
        }
        return new PValueHistogramTest(PearsonChiSquare.uniformity(pValues), false);
    }
}
