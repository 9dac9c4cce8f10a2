package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.oddity.calibrate.WorkingPoints;

/**
 * The single-window tests of one merged cell: the flag rate at each working point, the p-value
 * distribution, and each feature against the cell's reference; and the findings they give once
 * the window's p-values are corrected. A test that cannot run (no events, no reference, too few
 * events for two groups of bins) has p-value NaN and gives no finding.
 *
 * <p>The window arrives split by stratum of pileup, and each test compares it with the reference
 * stratum by stratum ({@link Strata}): flags by {@link StratifiedFlagTest} against the reference's
 * leave-one-out flags, p-values and features by the likelihood-ratio G-test
 * {@link LikelihoodRatioTest#stratifiedHomogeneity}. Events in a stratum the reference never saw
 * are left out of those comparisons. Where the reference has no p-values for the cell (an earlier
 * bundle, a fallback or online calibration, an alpha or binning off the {@link PValueGrid}), the
 * flags are tested against alpha by an exact binomial test and the p-values against uniformity.
 * The tests themselves are {@link FlagRateTests}, {@link PValueHistogramTest} and
 * {@link LikelihoodRatioTest} on the {@link MatchedStrata}; this class turns them into findings.
 */
final class CellTests {

    private final String cell;
    private final SummaryLayout layout;
    private final WorkingPoints points;
    private final RunRange range;
    private final FlagRateTests flags;
    private final PValueHistogramTest uniformity;
    private final HistogramTestResult[] features;
    private final List<String> mostShifted;

    private CellTests(List<CellWindowStats> strata, WorkingPoints points, VersionReference reference, int topFeatures) {
        CellWindowStats first = strata.get(0);
        this.cell = first.cell();
        this.layout = first.layout();
        this.points = points;
        this.range = RunRange.of(strata);
        MatchedStrata matched = MatchedStrata.of(strata, layout, reference);
        this.flags = FlagRateTests.run(strata, matched, layout, points, reference);
        this.uniformity = PValueHistogramTest.run(strata, matched, layout, reference);
        this.features = featureTests(matched, layout.binning());
        this.mostShifted = mostShifted(features, layout.binning(), topFeatures);
    }

    /** Each feature's histogram against the reference's, stratum by stratum; untested without a matched stratum. */
    private static HistogramTestResult[] featureTests(MatchedStrata matched, FeatureBinning binning) {
        HistogramTestResult[] out = new HistogramTestResult[binning.features()];
        List<long[]> observed = matched.window().stream().map(CellWindowStats::featureHistograms).toList();
        List<long[]> reference = matched.reference().stream().map(ReferenceHistograms.Stratum::features).toList();
        for (int f = 0; f < out.length; f++) {
            out[f] = matched.isEmpty() ? HistogramTestResult.UNTESTED
                    : LikelihoodRatioTest.stratifiedHomogeneity(observed, reference, binning.slotStart(f),
                            binning.slots(f));
        }
        return out;
    }

    /** The names of the {@code top} tested features with the smallest p-values (ties: larger statistic, then order). */
    private static List<String> mostShifted(HistogramTestResult[] features, FeatureBinning binning, int top) {
        return IntStream.range(0, features.length)
                .filter(f -> features[f].tested())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> features[f].pValue())
                        .thenComparingDouble(f -> -features[f].statistic())
                        .thenComparingInt(f -> f))
                .limit(top)
                .map(binning.featureNames()::get)
                .toList();
    }

    /**
     * Runs the tests of one cell's window.
     *
     * @param strata    the cell's merged summaries of the window, one per stratum, all of one model version
     * @param reference what that version's windows are compared with
     */
    static CellTests run(List<CellWindowStats> strata, WorkingPoints points, VersionReference reference,
            int topFeatures) {
        return new CellTests(strata, points, reference, topFeatures);
    }

    /** Number of p-values this cell adds to the window's family: working points, uniformity, features. */
    int tests() {
        return flags.size() + 1 + features.length;
    }

    /** This cell's raw p-values in the order of {@link #tests()}: working points loosest first, uniformity, features. */
    double[] rawPValues() {
        double[] out = new double[tests()];
        for (int k = 0; k < flags.size(); k++) {
            out[k] = flags.get(k).pValue();
        }
        out[flags.size()] = uniformity.result().pValue();
        for (int f = 0; f < features.length; f++) {
            out[featureIndex(f)] = features[f].pValue();
        }
        return out;
    }

    private int featureIndex(int feature) {
        return flags.size() + 1 + feature;
    }

    /** The single-window findings, given this cell's p-values corrected in the window's family, in the order of {@link #rawPValues()}. */
    List<Finding> findings(double[] corrected, MonitorSettings settings) {
        List<Finding> out = new ArrayList<>();
        int best = -1;
        for (int k = 0; k < flags.size(); k++) {
            if (flags.get(k).tested() && (best < 0 || corrected[k] < corrected[best])) {
                best = k;
            }
        }
        if (best >= 0) {
            out.add(flagRateFinding(best, corrected[best], settings));
        }
        HistogramTestResult u = uniformity.result();
        if (u.tested()) {
            int bins = layout.pValueBins();
            boolean against = uniformity.againstReference();
            out.add(histogramFinding(new AlertKey(AlertKind.P_UNIFORMITY, cell, null), against
                    ? "likelihood-ratio G of p-values vs reference" : "Pearson chi-square of p-values",
                    against ? "G" : "chi2", u, corrected[flags.size()], settings, "cell " + cell + (against
                            ? ": p-values differ from the reference's at this pileup" : ": p-values not uniform"),
                    String.format(Locale.ROOT, "p in [%.3g, %.3g)", (double) u.worstFirst() / bins,
                            (double) (u.worstLast() + 1) / bins)));
        }
        FeatureBinning binning = layout.binning();
        for (int f = 0; f < features.length; f++) {
            if (features[f].tested()) {
                String feature = binning.featureNames().get(f);
                out.add(histogramFinding(new AlertKey(AlertKind.FEATURE_SHIFT, cell, feature),
                        "likelihood-ratio G vs reference", "G", features[f], corrected[featureIndex(f)], settings,
                        "cell " + cell + ": feature " + feature + " differs from its reference",
                        feature + " in " + binning.rangeLabel(f, features[f].worstFirst(), features[f].worstLast())));
            }
        }
        return out;
    }

    /** The FLAG_RATE finding of working point {@code k}, the one with the smallest corrected p-value. */
    private Finding flagRateFinding(int k, double corrected, MonitorSettings settings) {
        FlagRateTest test = flags.get(k);
        long x = (long) test.observed();
        double expected = test.expected();
        String name = points.loosestFirst().get(k).name();
        String against = test.againstReference() ? "the reference at this pileup" : "alpha";
        return singleWindow(new AlertKey(AlertKind.FLAG_RATE, cell, null), (test.againstReference()
                ? "exact conditional P(X >= x) vs reference at " : "exact binomial P(X >= x) at ") + name, x,
                test.pValue(), corrected, x, expected, settings, String.format(Locale.ROOT, "cell %s: %d of %d events"
                        + " flagged at %s (alpha %.3g), %.1f expected from %s; P(X >= %d) = %.3g, %s %.3g", cell, x,
                        test.events(), name, points.alpha(k), expected, against, x, test.pValue(),
                        settings.correction().label(), corrected));
    }

    /**
     * The CUSUM findings: each chart of this cell takes this window's normal score, except that a
     * chart whose single-window test is {@code alreadyReported} is held at 0 and does not fire.
     *
     * @param corrected this cell's corrected p-values, in the order of {@link #rawPValues()}
     */
    List<Finding> cusumFindings(double[] corrected, Map<AlertKey, Cusum> charts, Predicate<AlertKey> alreadyReported,
            MonitorSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (!Double.isNaN(flags.loosestMidP())) {
            FlagRateTest loosest = flags.get(0);
            long x = (long) loosest.observed();
            double expected = loosest.expected();
            out.add(cusum(new AlertKey(AlertKind.FLAG_RATE_CUSUM, cell, null), charts, flags.loosestMidP(),
                    alreadyReported.test(new AlertKey(AlertKind.FLAG_RATE, cell, null)), loosest.pValue(), corrected[0],
                    x, expected, settings, String.format(Locale.ROOT, "cell %s: flag rate at %s persistently high;"
                            + " this window %d of %d flagged, %.1f expected", cell, points.loosest().name(), x,
                            loosest.events(), expected)));
        }
        FeatureBinning binning = layout.binning();
        for (int f = 0; f < features.length; f++) {
            HistogramTestResult r = features[f];
            if (r.tested()) {
                String feature = binning.featureNames().get(f);
                out.add(cusum(new AlertKey(AlertKind.FEATURE_SHIFT_CUSUM, cell, feature), charts, r.pValue(),
                        alreadyReported.test(new AlertKey(AlertKind.FEATURE_SHIFT, cell, feature)), r.pValue(),
                        corrected[featureIndex(f)], r.worstObserved(), r.worstExpected(), settings, String.format(
                                Locale.ROOT, "cell %s: feature %s persistently shifted; this window G = %.1f on %d df",
                                cell, feature, r.statistic(), r.degreesOfFreedom())));
            }
        }
        return out;
    }

    /** A finding of a histogram test whose statistic is reported under {@code symbol} ("G" or "chi2"). */
    private Finding histogramFinding(AlertKey key, String statistic, String symbol, HistogramTestResult r,
            double corrected, MonitorSettings settings, String what, String worst) {
        return singleWindow(key, statistic, r.statistic(), r.pValue(), corrected, r.worstObserved(), r.worstExpected(),
                settings, String.format(Locale.ROOT, "%s: %s = %.1f on %d df, p = %.3g, %s %.3g; most off: %.0f events"
                        + " with %s, %.1f expected", what, symbol, r.statistic(), r.degreesOfFreedom(), r.pValue(),
                        settings.correction().label(), corrected, r.worstObserved(), worst, r.worstExpected()));
    }

    private Finding singleWindow(AlertKey key, String statistic, double value, double raw, double corrected,
            double observed, double expected, MonitorSettings settings, String message) {
        return Finding.ofTest(key, statistic, value, raw, corrected, observed, expected, range, mostShifted, settings,
                message);
    }

    /**
     * Advances the chart of {@code key} by the normal score of {@code chartP}, or holds it at 0
     * when the test is already {@code reported}, and gives its finding.
     */
    private Finding cusum(AlertKey key, Map<AlertKey, Cusum> charts, double chartP, boolean reported, double raw,
            double corrected, double observed, double expected, MonitorSettings settings, String message) {
        Cusum chart = charts.computeIfAbsent(key, k -> new Cusum(settings.cusumK(), settings.cusumH()));
        boolean firing;
        if (reported) {
            chart.reset();
            firing = false;
        } else {
            firing = chart.add(Cusum.score(chartP));
        }
        return new Finding(key, firing, Severity.WARNING, "CUSUM of normal scores", chart.sum(), raw, corrected,
                observed, expected, range, mostShifted, String.format(Locale.ROOT, "%s; CUSUM S = %.2f (h = %.3g, k = %.3g)",
                        message, chart.sum(), settings.cusumH(), settings.cusumK()));
    }
}
