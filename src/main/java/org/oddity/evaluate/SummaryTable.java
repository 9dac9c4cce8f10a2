package org.oddity.evaluate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The compact table {@code oddity evaluate} prints: per signal the AUC and the TPR at the two loosest FPRs,
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
            String first = report.fprs().get(0);
            String second = report.fprs().get(1);
            int width = Math.max(12, report.signals().stream().mapToInt(s -> s.label().length()).max().orElse(0) + 8);
            out.printf(Locale.ROOT, "%n%-" + width + "s %10s %8s %14s %14s%n", "signal", "events", "AUC",
                    "TPR@" + first, "TPR@" + second);
            for (EvaluationReport.Signal s : report.signals()) {
                out.printf(Locale.ROOT, "%-" + width + "s %,10d %8.4f %14s %14s%n",
                        s.label() + (s.fault() ? " (fault)" : ""), s.events(), s.auc(), tpr(s.tprAtFpr().get(first)),
                        tpr(s.tprAtFpr().get(second)));
            }
        }
        if (!report.cells().isEmpty()) {
            EvaluationReport.WorkingPointSummary loosest = report.workingPoints().get(0);
            int width = Math.max(30, report.cells().stream().mapToInt(c -> c.cell().length()).max().orElse(0));
            out.printf(Locale.ROOT, "%nflag rate at %s (alpha %s), background events%n%-" + width
                    + "s %10s %12s %8s %12s %8s %9s%n", loosest.name(), loosest.alpha(), "cell", "n", "per-cell",
                    "3 sigma", "global thr.", "3 sigma", "KS p");
            for (EvaluationReport.Cell c : report.cells()) {
                EvaluationReport.CellWorkingPoint w = c.workingPoints().get(0);
                out.printf(Locale.ROOT, "%-" + width + "s %,10d %11.3f%% %8s %11.3f%% %8s %9.3g%n", c.cell(), c.n(),
                        100 * w.conditionalFlagRate(), within(w.conditionalWithin3Sigma()),
                        100 * w.globalThresholdFlagRate(), within(w.globalThresholdWithin3Sigma()),
                        c.uniformityKsPValue());
            }
        }
    }

    private static String tpr(Double tpr) {
        return tpr == null ? "-" : String.format(Locale.ROOT, "%.4f", tpr);
    }

    private static String within(boolean within) {
        return within ? "within" : "OUTSIDE";
    }
}
