package org.oddity.evaluate;

import java.util.List;
import java.util.Map;
import org.oddity.stats.ClopperPearsonInterval;

/**
 * What {@code oddity evaluate} measured, as written to {@code report.json}: the model and the input, the
 * event counts, per finest cell and working point the flag rates under conditional (per-cell) and global
 * calibration, the p-value uniformity per cell, and per signal label the ROC curve's AUC and TPR at fixed
 * false-positive rates.
 *
 * @param model              the bundle that scored
 * @param input              where the events came from
 * @param pValueMode         conservative or randomized
 * @param workingPoints      the working points, loosest first, with the global calibration's threshold at each
 * @param intervalConfidence confidence of every rate interval (Clopper-Pearson, central)
 * @param labelled           whether any event carried a signal or fault label; rates are then of background only
 * @param events             events read
 * @param scored             of them, scored (the others are in {@code rejected})
 * @param backgroundEvents   scored background events: truth null (or the --background-label)
 * @param rejected           events not scored, by the stage the stream would have sent them to the dead letters
 * @param seconds            wall-clock time of the evaluation, reading and scoring included
 * @param fprs               the false-positive rates of {@code signals[].tprAtFpr}, as its keys
 * @param cells              one entry per finest cell with background events, in cell order
 * @param signals            one entry per signal or fault label, sorted by label
 */
public record EvaluationReport(Model model, Input input, String pValueMode, List<WorkingPointSummary> workingPoints,
        double intervalConfidence, boolean labelled, long events, long scored, long backgroundEvents,
        Map<String, Long> rejected, double seconds, List<String> fprs, List<Cell> cells, List<Signal> signals) {

    /**
     * The bundle that scored.
     *
     * @param preprocessing the manifest's preprocessing steps, by name
     */
    public record Model(String name, String version, String scorer, String extractor, String featureLayout,
            List<String> preprocessing, String bundle) {
    }

    /**
     * Where the events came from: a file, or the simulator (scenario, or the standard fill when null).
     *
     * @param file     the event file, or null when simulated
     * @param scenario the scenario file of simulated events, or null for the standard fill or a file
     * @param seed     the simulator's seed, or null for a file
     */
    public record Input(String file, String scenario, Long seed) {
    }

    /**
     * A working point and the score threshold one global calibration gives it.
     *
     * @param globalThreshold events scoring above it are flagged by the global calibration's threshold
     */
    public record WorkingPointSummary(String name, double alpha, double globalThreshold) {
    }

    /**
     * One finest cell.
     *
     * @param cell                    the finest cell the events' run conditions select
     * @param n                       background events scored in it (all events when nothing is labelled)
     * @param events                  events scored in it, signal included
     * @param calibrationCell         the cell whose calibration set it uses at the loosest working point, after fallback
     * @param calibrationLevel        fallback level of that cell: 0 is the cell itself
     * @param calibrationSize         scores in that calibration set
     * @param workingPoints           the flag rates at each working point, loosest first
     * @param uniformityKsStatistic   Kolmogorov-Smirnov D of the background p-values against U(0, 1)
     * @param uniformityKsEffectiveSize n m / (n + m) of the n p-values and the m calibration scores behind them
     * @param uniformityKsPValue      the KS test's p-value at that effective size
     * @param pValueHistogram         counts of the background p-values in equal bins over [0, 1]
     */
    public record Cell(String cell, long n, long events, String calibrationCell, int calibrationLevel,
            int calibrationSize, List<CellWorkingPoint> workingPoints, double uniformityKsStatistic,
            double uniformityKsEffectiveSize, double uniformityKsPValue, Histogram pValueHistogram) {
    }

    /**
     * One cell at one working point.
     *
     * @param calibrationCell             the cell whose set this working point uses (a cell too small for a
     *                                    tight working point falls back for that one alone)
     * @param calibrationSize             scores in that set, m
     * @param binomialSigma               sqrt(alpha (1 - alpha) / n)
     * @param sigmaWithCalibration        sqrt(alpha (1 - alpha) (1 / n + 1 / m)): the spread of the rate over
     *                                    calibration sets of the used cell's size m too, which binomialSigma leaves out
     * @param cellThreshold               the score threshold of the cell's calibration at alpha (conservative)
     * @param conditionalFlagged          background events with their cell's p-value <= alpha
     * @param conditionalWithin3Sigma     |conditionalFlagRate - alpha| <= 3 binomialSigma
     * @param globalThresholdFlagged      background events scoring above the global calibration's threshold
     * @param globalThresholdWithin3Sigma |globalThresholdFlagRate - alpha| <= 3 binomialSigma
     */
    public record CellWorkingPoint(String name, double alpha, String calibrationCell, int calibrationSize,
            double binomialSigma, double sigmaWithCalibration,
            double cellThreshold,
            long conditionalFlagged, double conditionalFlagRate, ClopperPearsonInterval conditionalInterval,
            boolean conditionalWithin3Sigma, long globalThresholdFlagged, double globalThresholdFlagRate,
            ClopperPearsonInterval globalThresholdInterval, boolean globalThresholdWithin3Sigma) {
    }

    /**
     * Counts in equal bins: bin i holds values in [i / bins, (i + 1) / bins), the last one 1 too.
     */
    public record Histogram(int bins, long[] counts) {
    }

    /**
     * One signal or fault label against the background.
     *
     * @param fault                whether the label names a detector fault ({@code fault:...})
     * @param events               scored events with this label
     * @param auc                  area under the ROC curve of the raw score, ties counted one half
     * @param aucStandardError     Hanley-McNeil standard error of the AUC
     * @param tprAtFpr             TPR at each FPR of {@code fprs}; null where the background is too small
     * @param scoreThresholdAtFpr  the score threshold at each FPR; null where the background is too small
     * @param tprAtFprOmitted      why a TPR is null, by FPR
     * @param workingPoints        fraction of these events flagged at each working point, both calibrations
     * @param roc                  the curve, for plotting
     */
    public record Signal(String label, boolean fault, long events, double auc, double aucStandardError,
            Map<String, Double> tprAtFpr, Map<String, Double> scoreThresholdAtFpr, Map<String, String> tprAtFprOmitted,
            List<SignalWorkingPoint> workingPoints, Roc roc) {
    }

    /** Fraction of one label's events flagged at a working point, per-cell and global calibration. */
    public record SignalWorkingPoint(String name, double alpha, double conditionalFlagRate,
            double globalThresholdFlagRate) {
    }

    /** Points of a ROC curve at log-spaced false-positive rates. */
    public record Roc(double[] fpr, double[] tpr) {
    }
}
