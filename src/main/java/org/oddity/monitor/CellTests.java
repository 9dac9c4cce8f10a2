package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * The single-window tests of one merged cell: the flag rate at each working point, p-value
 * uniformity, and each feature against the cell's reference; and the findings they give once the
 * window's p-values are corrected. A test that cannot run (no events, no reference, too few
 * events for two chi-square groups) has p-value NaN and gives no finding.
 */
final class CellTests {

    private final CellWindowStats stats;
    private final WorkingPoints points;
    private final RunRange range;
    private final double[] flagP;
    private final double flagMidP;
    private final PearsonChiSquare.Result uniformity;
    private final PearsonChiSquare.Result[] features;
    private final List<String> mostShifted;

    private CellTests(CellWindowStats stats, WorkingPoints points, ReferenceHistograms reference, int topFeatures) {
        this.stats = stats;
        this.points = points;
        this.range = RunRange.of(List.of(stats));
        long n = stats.events();
        long[] flagged = stats.flagged();
        boolean samePoints = stats.layout().workingPoints()
                .equals(points.loosestFirst().stream().map(WorkingPoint::name).toList());
        this.flagP = new double[points.size()];
        for (int k = 0; k < flagP.length; k++) {
            flagP[k] = samePoints && n > 0 ? BinomialTest.upperTail(flagged[k], n, points.alpha(k)) : Double.NaN;
        }
        this.flagMidP = samePoints && n > 0 ? BinomialTest.upperMidP(flagged[0], n, points.alpha(0)) : Double.NaN;
        this.uniformity = PearsonChiSquare.uniformity(stats.pValueHistogram());
        FeatureBinning binning = stats.layout().binning();
        long[] referenceCounts = reference != null && reference.binning().equals(binning)
                ? reference.countsOf(stats.cell()) : null;
        long[] observed = stats.featureHistograms();
        this.features = new PearsonChiSquare.Result[binning.features()];
        for (int f = 0; f < features.length; f++) {
            features[f] = referenceCounts == null ? PearsonChiSquare.Result.UNTESTED
                    : PearsonChiSquare.homogeneity(observed, referenceCounts, binning.slotStart(f), binning.slots(f));
        }
        this.mostShifted = IntStream.range(0, features.length)
                .filter(f -> features[f].tested())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> features[f].pValue())
                        .thenComparingDouble(f -> -features[f].statistic())
                        .thenComparingInt(f -> f))
                .limit(topFeatures)
                .map(binning.featureNames()::get)
                .toList();
    }

    /**
     * Runs the tests of {@code stats}.
     *
     * @param reference the reference of the stats' model version, or null for none
     */
    static CellTests run(CellWindowStats stats, WorkingPoints points, ReferenceHistograms reference, int topFeatures) {
        return new CellTests(stats, points, reference, topFeatures);
    }

    /** Number of p-values this cell adds to the window's family: working points, uniformity, features. */
    int tests() {
        return flagP.length + 1 + features.length;
    }

    /** Writes this cell's raw p-values into {@code family} from {@code offset}, in the order of {@link #tests()}. */
    void rawPValues(double[] family, int offset) {
        System.arraycopy(flagP, 0, family, offset, flagP.length);
        family[offset + flagP.length] = uniformity.pValue();
        for (int f = 0; f < features.length; f++) {
            family[offset + flagP.length + 1 + f] = features[f].pValue();
        }
    }

    /** The single-window findings, given the family's corrected p-values and this cell's offset in it. */
    List<Finding> findings(double[] corrected, int offset, MonitorSettings settings) {
        String correction = settings.correction().label();
        List<Finding> out = new ArrayList<>();
        String cell = stats.cell();
        int best = -1;
        for (int k = 0; k < flagP.length; k++) {
            if (!Double.isNaN(flagP[k]) && (best < 0 || corrected[offset + k] < corrected[offset + best])) {
                best = k;
            }
        }
        if (best >= 0) {
            long x = stats.flagged()[best];
            double expected = stats.events() * points.alpha(best);
            String name = points.loosestFirst().get(best).name();
            out.add(singleWindow(new AlertKey(AlertKind.FLAG_RATE, cell, null), "exact binomial P(X >= x) at " + name, x,
                    flagP[best], corrected[offset + best], x, expected, settings, String.format(Locale.ROOT,
                            "cell %s: %d of %d events flagged at %s (alpha %.3g), %.1f expected; P(X >= %d) = %.3g, "
                                    + "%s %.3g", cell, x, stats.events(), name, points.alpha(best), expected, x,
                            flagP[best], correction, corrected[offset + best])));
        }
        int u = offset + flagP.length;
        if (uniformity.tested()) {
            int bins = stats.layout().pValueBins();
            out.add(chiSquare(new AlertKey(AlertKind.P_UNIFORMITY, cell, null), "Pearson chi-square of p-values",
                    uniformity, corrected[u], settings, correction, "cell " + cell + ": p-values not uniform",
                    String.format(Locale.ROOT, "p in [%.3g, %.3g)", (double) uniformity.worstFirst() / bins,
                            (double) (uniformity.worstLast() + 1) / bins)));
        }
        FeatureBinning binning = stats.layout().binning();
        for (int f = 0; f < features.length; f++) {
            if (features[f].tested()) {
                String feature = binning.featureNames().get(f);
                out.add(chiSquare(new AlertKey(AlertKind.FEATURE_SHIFT, cell, feature),
                        "chi-square homogeneity vs reference", features[f], corrected[u + 1 + f], settings, correction,
                        "cell " + cell + ": feature " + feature + " differs from its reference",
                        feature + " in " + binning.rangeLabel(f, features[f].worstFirst(), features[f].worstLast())));
            }
        }
        return out;
    }

    /** The CUSUM findings: each chart of this cell takes this window's normal score. */
    List<Finding> cusumFindings(double[] corrected, int offset, Map<AlertKey, Cusum> charts, MonitorSettings settings) {
        List<Finding> out = new ArrayList<>();
        String cell = stats.cell();
        if (!Double.isNaN(flagMidP)) {
            AlertKey key = new AlertKey(AlertKind.FLAG_RATE_CUSUM, cell, null);
            Cusum chart = charts.computeIfAbsent(key, k -> new Cusum(settings.cusumK(), settings.cusumH()));
            boolean firing = chart.add(Cusum.score(flagMidP));
            long x = stats.flagged()[0];
            double expected = stats.events() * points.alpha(0);
            String name = points.loosest().name();
            out.add(cusum(key, firing, chart, flagP[0], corrected[offset], x, expected, settings, String.format(
                    Locale.ROOT, "cell %s: flag rate at %s persistently high; this window %d of %d flagged, %.1f expected",
                    cell, name, x, stats.events(), expected)));
        }
        FeatureBinning binning = stats.layout().binning();
        int u = offset + flagP.length;
        for (int f = 0; f < features.length; f++) {
            if (features[f].tested()) {
                String feature = binning.featureNames().get(f);
                AlertKey key = new AlertKey(AlertKind.FEATURE_SHIFT_CUSUM, cell, feature);
                Cusum chart = charts.computeIfAbsent(key, k -> new Cusum(settings.cusumK(), settings.cusumH()));
                boolean firing = chart.add(Cusum.score(features[f].pValue()));
                out.add(cusum(key, firing, chart, features[f].pValue(), corrected[u + 1 + f],
                        features[f].worstObserved(), features[f].worstExpected(), settings, String.format(Locale.ROOT,
                                "cell %s: feature %s persistently shifted; this window chi2 = %.1f on %d df", cell,
                                feature, features[f].statistic(), features[f].degreesOfFreedom())));
            }
        }
        return out;
    }

    private Finding chiSquare(AlertKey key, String statistic, PearsonChiSquare.Result r, double corrected,
            MonitorSettings settings, String correction, String what, String worst) {
        return singleWindow(key, statistic, r.statistic(), r.pValue(), corrected, r.worstObserved(), r.worstExpected(),
                settings, String.format(Locale.ROOT, "%s: chi2 = %.1f on %d df, p = %.3g, %s %.3g; most off: %.0f events"
                        + " with %s, %.1f expected", what, r.statistic(), r.degreesOfFreedom(), r.pValue(), correction,
                        corrected, r.worstObserved(), worst, r.worstExpected()));
    }

    private Finding singleWindow(AlertKey key, String statistic, double value, double raw, double corrected,
            double observed, double expected, MonitorSettings settings, String message) {
        return new Finding(key, corrected <= settings.falseDiscoveryRate(),
                Severity.of(corrected, settings.criticalPValue()), statistic, value, raw, corrected, observed, expected,
                range, mostShifted, message);
    }

    private Finding cusum(AlertKey key, boolean firing, Cusum chart, double raw, double corrected, double observed,
            double expected, MonitorSettings settings, String message) {
        return new Finding(key, firing, Severity.WARNING, "CUSUM of normal scores", chart.sum(), raw, corrected,
                observed, expected, range, mostShifted, String.format(Locale.ROOT, "%s; CUSUM S = %.2f (h = %.3g, k = %.3g)",
                        message, chart.sum(), settings.cusumH(), settings.cusumK()));
    }
}
