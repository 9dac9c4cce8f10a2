package org.oddity.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The strata of a cell's window that can be compared with the reference: those with events in
 * which the reference has events too, each beside its reference stratum. Events of a stratum the
 * reference never saw are left out of every comparison with it.
 *
 * @param window    the window's strata, in the order given
 * @param reference the reference's stratum of each, in the same order
 */
record MatchedStrata(List<CellWindowStats> window, List<ReferenceHistograms.Stratum> reference) {

    /**
     * The strata of {@code strata} (one cell's window) that {@code reference} has events in; none
     * where the version has no reference or one on another feature binning than {@code layout}'s.
     */
    static MatchedStrata of(List<CellWindowStats> strata, SummaryLayout layout, VersionReference reference) {
        ReferenceHistograms histograms = reference.histograms() != null
                && reference.histograms().binning().equals(layout.binning()) ? reference.histograms() : null;
        List<CellWindowStats> window = new ArrayList<>();
        List<ReferenceHistograms.Stratum> matched = new ArrayList<>();
        for (CellWindowStats s : strata) {
            ReferenceHistograms.Stratum r = histograms == null ? null : histograms.stratum(s.cell(), s.stratum());
            if (s.events() > 0 && r != null && r.events() > 0) {
                window.add(s);
                matched.add(r);
            }
        }
        return new MatchedStrata(List.copyOf(window), List.copyOf(matched));
    }

    /** Whether no stratum can be compared. */
    boolean isEmpty() {
        return window.isEmpty();
    }

    /** Whether some strata can be compared and the reference kept p-value counts for all of them. */
    boolean withPValues() {
        return !isEmpty() && reference.stream().allMatch(ReferenceHistograms.Stratum::hasPValues);
    }
}
