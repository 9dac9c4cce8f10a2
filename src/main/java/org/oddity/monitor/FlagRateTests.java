package org.oddity.monitor;

import java.util.List;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * The flag-rate tests of one cell's window, one per working point, loosest first. Where the
 * reference has leave-one-out p-values for the cell at a working point on the {@link PValueGrid},
 * the window's flags are tested against the reference's flags stratum by stratum
 * ({@link StratifiedFlagTest}); elsewhere against the working point's alpha by an exact binomial
 * test ({@link BinomialTest}); and not at all when the window's working points are not the
 * monitor's. The loosest point's test also gives a mid-p value, which its CUSUM chart takes.
 */
final class FlagRateTests {

    private final FlagRateTest[] byPoint;
    private final double loosestMidP;

    private FlagRateTests(FlagRateTest[] byPoint, double loosestMidP) {
        this.byPoint = byPoint;
        this.loosestMidP = loosestMidP;
    }

    /**
     * Tests the flags of {@code strata}, one cell's window.
     *
     * @param matched the strata the reference can be compared with
     */
    static FlagRateTests run(List<CellWindowStats> strata, MatchedStrata matched, SummaryLayout layout,
            WorkingPoints points, VersionReference reference) {
        String cell = strata.get(0).cell();
        boolean samePoints = layout.workingPoints().equals(points.loosestFirst().stream().map(WorkingPoint::name)
                .toList());
        long events = 0;
        long[] flagged = new long[layout.workingPoints().size()];
        for (CellWindowStats s : strata) {
            events += s.events();
            Counts.add(flagged, s.flagged());
        }
        FlagRateTest[] byPoint = new FlagRateTest[points.size()];
        double midP = Double.NaN;
        for (int k = 0; k < byPoint.length; k++) {
            int edge = PValueGrid.edgeIndex(points.alpha(k));
            if (samePoints && matched.withPValues() && edge >= 0 && reference.comparesPValues(cell, k)) {
                StratifiedFlags flags = StratifiedFlags.of(matched, k, edge, reference.randomized());
                byPoint[k] = flags.test();
                midP = k == 0 ? flags.midP() : midP;
            } else if (samePoints && events > 0) {
                double alpha = points.alpha(k);
                byPoint[k] = new FlagRateTest(BinomialTest.upperTail(flagged[k], events, alpha), events, flagged[k],
                        events * alpha, false);
                midP = k == 0 ? BinomialTest.upperMidP(flagged[0], events, alpha) : midP;
            } else {
                byPoint[k] = FlagRateTest.UNTESTED;
            }
        }
        return new FlagRateTests(byPoint, midP);
    }

    /** Number of working points. */
    int size() {
        return byPoint.length;
    }

    /** The test at working point {@code k}, loosest first. */
    FlagRateTest get(int k) {
        return byPoint[k];
    }

    /** The loosest point's mid-p value, NaN where it was not tested. */
    double loosestMidP() {
        return loosestMidP;
    }

    /**
     * One working point's counts, stratum by stratum: x flagged of the window's n events, f
     * flagged of the reference's m, where the reference's flags are its p-values up to the
     * point's edge of the {@link PValueGrid}.
     */
    private record StratifiedFlags(long[] x, long[] n, long[] f, long[] m) {

        static StratifiedFlags of(MatchedStrata matched, int point, int edge, boolean randomized) {
            int strata = matched.window().size();
            StratifiedFlags counts = new StratifiedFlags(new long[strata], new long[strata], new long[strata],
                    new long[strata]);
            for (int i = 0; i < strata; i++) {
                CellWindowStats window = matched.window().get(i);
                ReferenceHistograms.Stratum reference = matched.reference().get(i);
                counts.x[i] = window.flagged()[point];
                counts.n[i] = window.events();
                counts.f[i] = PValueGrid.countUpTo(reference.pValues(randomized), edge);
                counts.m[i] = reference.events();
            }
            return counts;
        }

        /** The exact conditional test; the flags expected are those of the reference's rate in each stratum. */
        FlagRateTest test() {
            long events = 0;
            double observed = 0.0;
            double expected = 0.0;
            for (int i = 0; i < x.length; i++) {
                events += n[i];
                observed += x[i];
                expected += (double) n[i] * f[i] / m[i];
            }
            return new FlagRateTest(StratifiedFlagTest.upperTail(x, n, f, m), events, observed, expected, true);
        }

        double midP() {
            return StratifiedFlagTest.upperMidP(x, n, f, m);
        }
    }
}
