package org.oddity.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ConformalCalibration;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.score.preprocess.PreprocessingStep;
import org.oddity.stats.ClopperPearsonInterval;
import org.oddity.stats.KolmogorovSmirnov;

/** Turns a finished {@link EvaluationTally} into an {@link EvaluationReport}: rates, intervals, tests and curves. */
final class ReportAssembler {

    /** The false-positive rates at which every signal's TPR is reported, besides each working point's alpha. */
    static final double[] FIXED_FPRS = {1e-3, 1e-4, 1e-5};
    /** Bins of the per-cell p-value histograms. */
    static final int HISTOGRAM_BINS = 20;
    /** Points of each ROC curve kept for plotting. */
    static final int ROC_POINTS = 200;
    /** Prefix of a detector fault's truth label. */
    static final String FAULT_PREFIX = "fault:";

    private ReportAssembler() {
    }

    static EvaluationReport assemble(ScoringModel model, PValueMode mode, EvaluationTally tally, long read,
            EvaluationReport.Input input, double seconds) {
        List<WorkingPoint> points = model.workingPoints().loosestFirst();
        ConformalCalibration global = model.table().global();
        List<EvaluationReport.WorkingPointSummary> summaries = points.stream()
                .map(p -> new EvaluationReport.WorkingPointSummary(p.name(), p.alpha(), global.threshold(p.alpha())))
                .toList();
        List<EvaluationReport.Cell> cells = cells(model, tally);
        double[] fprs = fprs(points);
        List<EvaluationReport.Signal> signals = signals(points, fprs, tally);
        long background = cells.stream().mapToLong(EvaluationReport.Cell::n).sum();
        long rejected = tally.rejected().values().stream().mapToLong(Long::longValue).sum();
        List<String> fprKeys = new ArrayList<>();
        for (double fpr : fprs) {
            fprKeys.add(fprKey(fpr));
        }
        return new EvaluationReport(model(model), input, mode.name().toLowerCase(Locale.ROOT), summaries,
                ClopperPearsonInterval.ONE_SIGMA, !tally.labels().isEmpty(), read, read - rejected, background,
                tally.rejected(), seconds, fprKeys, cells, signals);
    }

    /**
     * The FPRs of the TPR columns, largest first: every working point's alpha, so the TPR of each working
     * point's own false-positive rate is there, and the fixed ones; an alpha equal to a fixed FPR counts once.
     */
    static double[] fprs(List<WorkingPoint> points) {
        Map<String, Double> byKey = new LinkedHashMap<>();
        DoubleStream.concat(points.stream().mapToDouble(WorkingPoint::alpha), DoubleStream.of(FIXED_FPRS))
                .boxed().sorted(Comparator.reverseOrder()).forEach(fpr -> byKey.putIfAbsent(fprKey(fpr), fpr));
        return byKey.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The key of {@code fpr} in {@code tprAtFpr}: one digit after the point, e.g. {@code 1.0E-3}. */
    static String fprKey(double fpr) {
        return String.format(Locale.ROOT, "%.1E", fpr).replace("E-0", "E-").replace("E+0", "E");
    }

    private static EvaluationReport.Model model(ScoringModel model) {
        BundleManifest manifest = model.bundle().manifest();
        List<String> steps = manifest.preprocessing().stream().map(ReportAssembler::stepName).toList();
        return new EvaluationReport.Model(manifest.name(), manifest.version(), manifest.scorer(),
                manifest.extractor(), manifest.featureLayout(), steps, model.bundle().directory().toString());
    }

    private static String stepName(PreprocessingStep step) {
        if (step instanceof PreprocessingStep.Clip clip) {
            return PreprocessingStep.CLIP + "=" + clip.min() + ".." + clip.max();
        }
        return step instanceof PreprocessingStep.LogPt ? PreprocessingStep.LOG_PT : PreprocessingStep.STANDARDIZE;
    }

    private static List<EvaluationReport.Cell> cells(ScoringModel model, EvaluationTally tally) {
        CellScheme scheme = model.cells();
        List<WorkingPoint> points = model.workingPoints().loosestFirst();
        double[] globalThresholds = points.stream().mapToDouble(p -> model.table().global().threshold(p.alpha()))
                .toArray();
        List<EvaluationReport.Cell> cells = new ArrayList<>();
        for (int c = 0; c < scheme.cellsAt(0); c++) {
            long n = tally.background(c);
            if (n == 0) {
                continue;
            }
            ResolvedCell resolved = model.table().cellFor(c);
            List<EvaluationReport.CellWorkingPoint> rates = new ArrayList<>();
            for (int w = 0; w < points.size(); w++) {
                double alpha = points.get(w).alpha();
                ResolvedCell atPoint = model.table().cellFor(c, w);
                double sigma = Math.sqrt(alpha * (1.0 - alpha) / n);
                // Given its calibration set, a cell's coverage is itself random, with variance about
                // alpha (1 - alpha) / m (Vovk 2012, "Conditional validity of inductive conformal predictors").
                double withCalibration = Math.sqrt(alpha * (1.0 - alpha) * (1.0 / n + 1.0 / atPoint.set().size()));
                long conditional = tally.conditionalFlagged(c, w);
                long global = tally.globalFlagged(c, w);
                double conditionalRate = conditional / (double) n;
                double globalRate = global / (double) n;
                rates.add(new EvaluationReport.CellWorkingPoint(points.get(w).name(), alpha, atPoint.used(),
                        atPoint.set().size(), sigma, withCalibration, atPoint.set().threshold(alpha), conditional,
                        conditionalRate,
                        ClopperPearsonInterval.of(conditional, n, ClopperPearsonInterval.ONE_SIGMA),
                        Math.abs(conditionalRate - alpha) <= 3.0 * sigma, global, globalRate,
                        ClopperPearsonInterval.of(global, n, ClopperPearsonInterval.ONE_SIGMA),
                        Math.abs(globalRate - alpha) <= 3.0 * sigma));
            }
            double[] pValues = tally.backgroundPValues(c);
            double d = KolmogorovSmirnov.statisticAgainstUniform(pValues);
            // A p-value is one minus the calibration scores' empirical CDF at the event's score, so the
            // statistic compares two samples, n events and m calibration scores; see README "The report".
            double effective = KolmogorovSmirnov.twoSampleEffectiveSize(n, resolved.set().size());
            cells.add(new EvaluationReport.Cell(resolved.requested(), n, tally.events(c), resolved.used(),
                    resolved.level(), resolved.set().size(), rates, d, effective,
                    KolmogorovSmirnov.pValue(d, effective), histogram(pValues)));
        }
        return cells;
    }

    private static EvaluationReport.Histogram histogram(double[] values) {
        long[] counts = new long[HISTOGRAM_BINS];
        for (double v : values) {
            counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, (int) (v * HISTOGRAM_BINS)))]++;
        }
        return new EvaluationReport.Histogram(HISTOGRAM_BINS, counts);
    }

    private static List<EvaluationReport.Signal> signals(List<WorkingPoint> points, double[] fprs,
            EvaluationTally tally) {
        double[] background = tally.backgroundScores();
        List<EvaluationReport.Signal> signals = new ArrayList<>();
        if (background.length == 0) {
            return signals;
        }
        for (Map.Entry<String, EvaluationTally.Label> entry : tally.labels().entrySet()) {
            EvaluationTally.Label label = entry.getValue();
            RocCurve roc = RocCurve.of(background, label.scores.toArray());
            Map<String, Double> tpr = new LinkedHashMap<>();
            Map<String, Double> thresholds = new LinkedHashMap<>();
            Map<String, String> omitted = new LinkedHashMap<>();
            for (double fpr : fprs) {
                String key = fprKey(fpr);
                if (roc.resolves(fpr)) {
                    tpr.put(key, roc.tprAt(fpr));
                    thresholds.put(key, roc.thresholdAt(fpr));
                } else {
                    tpr.put(key, null);
                    thresholds.put(key, null);
                    omitted.put(key, String.format(Locale.ROOT, "needs at least %,d background events (%d above the"
                            + " threshold), have %,d", RocCurve.backgroundNeeded(fpr), RocCurve.MIN_BACKGROUND_ABOVE,
                            background.length));
                }
            }
            long events = label.scores.size();
            List<EvaluationReport.SignalWorkingPoint> rates = new ArrayList<>();
            for (int w = 0; w < points.size(); w++) {
                rates.add(new EvaluationReport.SignalWorkingPoint(points.get(w).name(), points.get(w).alpha(),
                        label.conditionalFlagged[w] / (double) events, label.globalFlagged[w] / (double) events));
            }
            double[][] curve = roc.curve(ROC_POINTS);
            signals.add(new EvaluationReport.Signal(entry.getKey(), entry.getKey().contains(FAULT_PREFIX), events,
                    roc.auc(), roc.aucStandardError(), tpr, thresholds, omitted, rates,
                    new EvaluationReport.Roc(curve[0], curve[1])));
        }
        return signals;
    }
}
