package org.oddity.evaluate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The compact table {@code oddity evaluate} prints: per signal the AUC and the TPR at every reported FPR,
 * per cell the conditional against the global-threshold flag rate at the loosest working point.
 */
public final class SummaryTable {

    private SummaryTable() {
    }

    /** Prints {@code report}'s table to {@code out}. */
    public static void print(EvaluationReport report, PrintStream out) {
        out.printf(Locale.ROOT, "model %s version %s (%s) on %s: %,d events, %,d scored, %,d background, %.1f s%n",
                report.model().name(), report.model().version(), report.model().scorer(),
                ReportPage.describe(report.input()), report.events(), report.scored(), report.backgroundEvents(),
                report.seconds());
        if (!report.rejected().isEmpty()) {
            out.println("not scored, by stage: " + report.rejected());
        }
        if (!report.signals().isEmpty()) {
            int width = Math.max(12, report.signals().stream().mapToInt(s -> s.label().length()).max().orElse(0) + 8);
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%n%-" + width + "s %10s %8s",
                    "signal", "events", "AUC"));
            for (String fpr : report.fprs()) {
                header.append(String.format(Locale.ROOT, " %14s", "TPR@" + fpr));
            }
            out.println(header);
            for (EvaluationReport.Signal s : report.signals()) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %,10d %8.4f",
                        s.label() + (s.fault() ? " (fault)" : ""), s.events(), s.auc()));
                for (String fpr : report.fprs()) {
                    row.append(String.format(Locale.ROOT, " %14s", tpr(s.tprAtFpr().get(fpr))));
                }
                out.println(row);
            }
        }
        if (!report.cells().isEmpty()) {
            EvaluationReport.WorkingPointSummary loosest = report.workingPoints().get(0);
            int width = Math.max(30, report.cells().stream().mapToInt(c -> c.cell().length()).max().orElse(0));
            out.printf(Locale.ROOT, "%nflag rate at %s (alpha %s), background events%n"
                    + "3 sigma: per-cell with sigma = sqrt(alpha (1 - alpha) (1/n + 1/m)), m the calibration set's"
                    + " size; global thr. binomial, sigma = sqrt(alpha (1 - alpha) / n)%n%-" + width
                    + "s %10s %12s %8s %12s %8s %9s%n", loosest.name(), loosest.alpha(), "cell", "n", "per-cell",
                    "3 sigma", "global thr.", "3 sigma", "KS p");
            for (EvaluationReport.Cell c : report.cells()) {
                EvaluationReport.CellWorkingPoint w = c.workingPoints().get(0);
                out.printf(Locale.ROOT, "%-" + width + "s %,10d %11.3f%% %8s %11.3f%% %8s %9.3g%n", c.cell(), c.n(),
                        100 * w.conditionalFlagRate(), within(conditionalWithinCalibrationSpread(w)),
                        100 * w.globalThresholdFlagRate(), within(w.globalThresholdWithin3Sigma()),
                        c.uniformityKsPValue());
            }
        }
    }

    /**
     * Whether the per-cell rate lies within 3 {@code sigmaWithCalibration} of alpha: a small calibration set's
     * own spread is no miscalibration, so the console does not call such a cell off.
     */
    static boolean conditionalWithinCalibrationSpread(EvaluationReport.CellWorkingPoint point) {
        return Math.abs(point.conditionalFlagRate() - point.alpha()) <= 3.0 * point.sigmaWithCalibration();
    }

    private static String tpr(Double tpr) {
        return tpr == null ? "-" : String.format(Locale.ROOT, "%.4f", tpr);
    }

    private static String within(boolean within) {
        return within ? "within" : "OUTSIDE";
    }
}
