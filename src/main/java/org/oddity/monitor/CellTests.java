package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.oddity.calibrate.WorkingPoint;
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
 */
final class CellTests {

    private final String cell;
    private final long[] flagged;
    private final SummaryLayout layout;
    private final WorkingPoints points;
    private final RunRange range;
    private final double[] flagP;
    /** Events the flag test at each working point covered: those of strata the reference has, against it. */
    private final long[] flagEvents;
    private final double[] flagObserved;
    private final double[] flagExpected;
    private final boolean[] flagAgainstReference;
    private final double flagMidP;
    private final boolean uniformityAgainstReference;
    private final HistogramTestResult uniformity;
    private final HistogramTestResult[] features;
    private final List<String> mostShifted;

    private CellTests(List<CellWindowStats> strata, WorkingPoints points, VersionReference reference, int topFeatures) {
        CellWindowStats first = strata.get(0);
        this.cell = first.cell();
        this.layout = first.layout();
        this.points = points;
        this.range = RunRange.of(strata);
        this.flagged = new long[layout.workingPoints().size()];
        long[] pValues = new long[layout.pValueBins()];
        long n = 0;
        for (CellWindowStats s : strata) {
            n += s.events();
            add(flagged, s.flagged());
            add(pValues, s.pValueHistogram());
        }
        ReferenceHistograms histograms = reference.histograms() != null
                && reference.histograms().binning().equals(layout.binning()) ? reference.histograms() : null;
        // The window's strata with events and a reference stratum, and those reference strata.
        List<CellWindowStats> matched = new ArrayList<>();
        List<ReferenceHistograms.Stratum> references = new ArrayList<>();
        for (CellWindowStats s : strata) {
            ReferenceHistograms.Stratum r = histograms == null ? null : histograms.stratum(cell, s.stratum());
            if (s.events() > 0 && r != null && r.events() > 0) {
                matched.add(s);
                references.add(r);
            }
        }
        boolean samePoints = layout.workingPoints().equals(points.loosestFirst().stream().map(WorkingPoint::name).toList());
        int size = points.size();
        this.flagP = new double[size];
        this.flagEvents = new long[size];
        this.flagObserved = new double[size];
        this.flagExpected = new double[size];
        this.flagAgainstReference = new boolean[size];
        boolean withPValues = !matched.isEmpty() && references.stream().allMatch(ReferenceHistograms.Stratum::hasPValues);
        double midP = Double.NaN;
        for (int k = 0; k < size; k++) {
            int edge = PValueGrid.edgeIndex(points.alpha(k));
            if (samePoints && withPValues && edge >= 0 && reference.comparesPValues(cell, k)) {
                double mid = testFlagsAgainstReference(k, edge, matched, references, reference.randomized());
                if (k == 0) {
                    midP = mid;
                }
            } else if (samePoints && n > 0) {
                flagEvents[k] = n;
                flagObserved[k] = flagged[k];
                flagExpected[k] = n * points.alpha(k);
                flagP[k] = BinomialTest.upperTail(flagged[k], n, points.alpha(k));
                if (k == 0) {
                    midP = BinomialTest.upperMidP(flagged[0], n, points.alpha(0));
                }
            } else {
                flagP[k] = Double.NaN;
            }
        }
        this.flagMidP = midP;
        List<long[]> referencePValues = new ArrayList<>();
        if (withPValues && reference.comparesPValues(cell, 0)) {
            for (ReferenceHistograms.Stratum r : references) {
                long[] regrouped = PValueGrid.regroup(r.pValues(reference.randomized()), layout.pValueBins());
                if (regrouped == null) {
                    break;
                }
                referencePValues.add(regrouped);
            }
        }
        this.uniformityAgainstReference = !matched.isEmpty() && referencePValues.size() == matched.size();
        this.uniformity = uniformityAgainstReference
                ? LikelihoodRatioTest.stratifiedHomogeneity(
                        matched.stream().map(CellWindowStats::pValueHistogram).toList(), referencePValues, 0,
                        layout.pValueBins())
                : PearsonChiSquare.uniformity(pValues);
        FeatureBinning binning = layout.binning();
        List<long[]> observedFeatures = matched.stream().map(CellWindowStats::featureHistograms).toList();
        List<long[]> referenceFeatures = references.stream().map(ReferenceHistograms.Stratum::features).toList();
        this.features = new HistogramTestResult[binning.features()];
        for (int f = 0; f < features.length; f++) {
            features[f] = matched.isEmpty() ? HistogramTestResult.UNTESTED
                    : LikelihoodRatioTest.stratifiedHomogeneity(observedFeatures, referenceFeatures,
                            binning.slotStart(f), binning.slots(f));
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
     * The stratified exact test of working point {@code k}'s flags against the reference's at
     * {@code edge} of the {@link PValueGrid}; returns its mid-p value for the loosest point, NaN
     * for the others.
     */
    private double testFlagsAgainstReference(int k, int edge, List<CellWindowStats> matched,
            List<ReferenceHistograms.Stratum> references, boolean randomized) {
        long[] x = new long[matched.size()];
        long[] trials = new long[x.length];
        long[] f = new long[x.length];
        long[] m = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = matched.get(i).flagged()[k];
            trials[i] = matched.get(i).events();
            f[i] = PValueGrid.countUpTo(references.get(i).pValues(randomized), edge);
            m[i] = references.get(i).events();
            flagEvents[k] += trials[i];
            flagObserved[k] += x[i];
            flagExpected[k] += (double) trials[i] * f[i] / m[i];
        }
        flagAgainstReference[k] = true;
        flagP[k] = StratifiedFlagTest.upperTail(x, trials, f, m);
        return k == 0 ? StratifiedFlagTest.upperMidP(x, trials, f, m) : Double.NaN;
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
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
        int best = -1;
        for (int k = 0; k < flagP.length; k++) {
            if (!Double.isNaN(flagP[k]) && (best < 0 || corrected[offset + k] < corrected[offset + best])) {
                best = k;
            }
        }
        if (best >= 0) {
            long x = (long) flagObserved[best];
            double expected = flagExpected[best];
            String name = points.loosestFirst().get(best).name();
            String against = flagAgainstReference[best] ? "the reference at this pileup" : "alpha";
            out.add(singleWindow(new AlertKey(AlertKind.FLAG_RATE, cell, null),
                    (flagAgainstReference[best] ? "exact conditional P(X >= x) vs reference at " : "exact binomial P(X >= x) at ")
                            + name, x, flagP[best], corrected[offset + best], x, expected, settings, String.format(
                                    Locale.ROOT, "cell %s: %d of %d events flagged at %s (alpha %.3g), %.1f expected from"
                                            + " %s; P(X >= %d) = %.3g, %s %.3g", cell, x, flagEvents[best], name,
                                    points.alpha(best), expected, against, x, flagP[best], correction,
                                    corrected[offset + best])));
        }
        int u = offset + flagP.length;
        if (uniformity.tested()) {
            int bins = layout.pValueBins();
            out.add(histogramTest(new AlertKey(AlertKind.P_UNIFORMITY, cell, null), uniformityAgainstReference
                    ? "likelihood-ratio G of p-values vs reference" : "Pearson chi-square of p-values",
                    uniformityAgainstReference ? "G" : "chi2", uniformity, corrected[u], settings, correction,
                    "cell " + cell + (uniformityAgainstReference
                            ? ": p-values differ from the reference's at this pileup" : ": p-values not uniform"),
                    String.format(Locale.ROOT, "p in [%.3g, %.3g)", (double) uniformity.worstFirst() / bins,
                            (double) (uniformity.worstLast() + 1) / bins)));
        }
        FeatureBinning binning = layout.binning();
        for (int f = 0; f < features.length; f++) {
            if (features[f].tested()) {
                String feature = binning.featureNames().get(f);
                out.add(histogramTest(new AlertKey(AlertKind.FEATURE_SHIFT, cell, feature),
                        "likelihood-ratio G vs reference", "G", features[f], corrected[u + 1 + f], settings, correction,
                        "cell " + cell + ": feature " + feature + " differs from its reference",
                        feature + " in " + binning.rangeLabel(f, features[f].worstFirst(), features[f].worstLast())));
            }
        }
        return out;
    }

    /**
     * The CUSUM findings: each chart of this cell takes this window's normal score, except that a
     * chart whose single-window test is {@code alreadyReported} is held at 0 and does not fire.
     */
    List<Finding> cusumFindings(double[] corrected, int offset, Map<AlertKey, Cusum> charts,
            Predicate<AlertKey> alreadyReported, MonitorSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (!Double.isNaN(flagMidP)) {
            AlertKey key = new AlertKey(AlertKind.FLAG_RATE_CUSUM, cell, null);
            Cusum chart = charts.computeIfAbsent(key, k -> new Cusum(settings.cusumK(), settings.cusumH()));
            boolean firing = advance(chart, Cusum.score(flagMidP), alreadyReported.test(new AlertKey(AlertKind.FLAG_RATE,
                    cell, null)));
            long x = (long) flagObserved[0];
            double expected = flagExpected[0];
            String name = points.loosest().name();
            out.add(cusum(key, firing, chart, flagP[0], corrected[offset], x, expected, settings, String.format(
                    Locale.ROOT, "cell %s: flag rate at %s persistently high; this window %d of %d flagged, %.1f expected",
                    cell, name, x, flagEvents[0], expected)));
        }
        FeatureBinning binning = layout.binning();
        int u = offset + flagP.length;
        for (int f = 0; f < features.length; f++) {
            if (features[f].tested()) {
                String feature = binning.featureNames().get(f);
                AlertKey key = new AlertKey(AlertKind.FEATURE_SHIFT_CUSUM, cell, feature);
                Cusum chart = charts.computeIfAbsent(key, k -> new Cusum(settings.cusumK(), settings.cusumH()));
                boolean firing = advance(chart, Cusum.score(features[f].pValue()),
                        alreadyReported.test(new AlertKey(AlertKind.FEATURE_SHIFT, cell, feature)));
                out.add(cusum(key, firing, chart, features[f].pValue(), corrected[u + 1 + f],
                        features[f].worstObserved(), features[f].worstExpected(), settings, String.format(Locale.ROOT,
                                "cell %s: feature %s persistently shifted; this window G = %.1f on %d df", cell,
                                feature, features[f].statistic(), features[f].degreesOfFreedom())));
            }
        }
        return out;
    }

    private static boolean advance(Cusum chart, double score, boolean reported) {
        if (reported) {
            chart.reset();
            return false;
        }
        return chart.add(score);
    }

    /** A finding of a histogram test whose statistic is reported under {@code symbol} ("G" or "chi2"). */
    private Finding histogramTest(AlertKey key, String statistic, String symbol, HistogramTestResult r,
            double corrected, MonitorSettings settings, String correction, String what, String worst) {
        return singleWindow(key, statistic, r.statistic(), r.pValue(), corrected, r.worstObserved(), r.worstExpected(),
                settings, String.format(Locale.ROOT, "%s: %s = %.1f on %d df, p = %.3g, %s %.3g; most off: %.0f events"
                        + " with %s, %.1f expected", what, symbol, r.statistic(), r.degreesOfFreedom(), r.pValue(),
                        correction, corrected, r.worstObserved(), worst, r.worstExpected()));
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
