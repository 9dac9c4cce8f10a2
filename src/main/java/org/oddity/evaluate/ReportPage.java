package org.oddity.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The report's {@code index.html}: a static page with the tables of {@code report.json} and its figures. */
final class ReportPage {

    static final String FILE = "index.html";

    private ReportPage() {
    }

    /** Writes the page into {@code dir}; {@code figures} maps each figure's file name to its caption. */
    static void write(EvaluationReport report, Map<String, String> figures, Path dir) throws IOException {
        StringBuilder html = new StringBuilder();
        EvaluationReport.Model model = report.model();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>oddity evaluate: ")
                .append(escape(model.name())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}.outside{color:#b00;font-weight:bold}")
                .append("figure{margin:1.5em 0}img{max-width:100%}\n</style>\n</head>\n<body>\n");
        html.append("<h1>Evaluation of model ").append(escape(model.name())).append("</h1>\n<p>Version <code>")
                .append(escape(model.version())).append("</code>, scorer <code>").append(escape(model.scorer()))
                .append("</code>, extractor <code>").append(escape(model.extractor())).append("</code>, preprocessing ")
                .append(escape(model.preprocessing().isEmpty() ? "none" : String.join(", ", model.preprocessing())))
                .append(". Input: ").append(escape(describe(report.input()))).append(". ")
                .append(String.format(Locale.ROOT, "%,d events read, %,d scored, %,d background; p-values %s;"
                        + " %.1f s.", report.events(), report.scored(), report.backgroundEvents(), report.pValueMode(),
                        report.seconds()))
                .append("</p>\n");
        signals(report, html);
        cells(report, html);
        for (Map.Entry<String, String> figure : figures.entrySet()) {
            html.append("<figure><img src=\"").append(escape(figure.getKey())).append("\" alt=\"")
                    .append(escape(figure.getValue())).append("\"><figcaption>").append(escape(figure.getValue()))
                    .append("</figcaption></figure>\n");
        }
        html.append("<p>The numbers are in <a href=\"").append(ReportFiles.JSON).append("\">").append(ReportFiles.JSON)
                .append("</a>, the per-cell table in <a href=\"").append(CellsCsv.FILE).append("\">")
                .append(CellsCsv.FILE).append("</a>.</p>\n</body>\n</html>\n");
        Files.writeString(dir.resolve(FILE), html);
    }

    private static void signals(EvaluationReport report, StringBuilder html) {
        if (report.signals().isEmpty()) {
            html.append("<p>No signal or fault labels: no ROC curves.</p>\n");
            return;
        }
        html.append("<h2>Signals against the background</h2>\n<table>\n<tr><th>label</th><th>events</th>"
                + "<th>AUC</th>");
        for (String fpr : report.fprs()) {
            html.append("<th>TPR at FPR ").append(escape(fpr)).append("</th>");
        }
        html.append("</tr>\n");
        for (EvaluationReport.Signal signal : report.signals()) {
            html.append("<tr><td>").append(escape(signal.label())).append(signal.fault() ? " (fault)" : "")
                    .append(String.format(Locale.ROOT, "</td><td>%,d</td><td>%.4f &plusmn; %.4f</td>", signal.events(),
                            signal.auc(), signal.aucStandardError()));
            for (String fpr : report.fprs()) {
                Double tpr = signal.tprAtFpr().get(fpr);
                html.append("<td>").append(tpr == null ? "&ndash;" : String.format(Locale.ROOT, "%.4f", tpr))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>&ndash;: too few background events to resolve that FPR (at least 10 must lie above"
                + " the threshold).</p>\n");
    }

    private static void cells(EvaluationReport report, StringBuilder html) {
        html.append("<h2>Background flag rate per cell</h2>\n<table>\n<tr><th>cell</th><th>n</th>"
                + "<th>calibration cell (size)</th><th>working point</th><th>per-cell rate</th>"
                + "<th>global-threshold rate</th><th>alpha &plusmn; 3&sigma;</th><th>KS p</th></tr>\n");
        for (EvaluationReport.Cell cell : report.cells()) {
            for (EvaluationReport.CellWorkingPoint point : cell.workingPoints()) {
                html.append("<tr><td>").append(escape(cell.cell())).append(String.format(Locale.ROOT,
                        "</td><td>%,d</td><td>%s (%,d)</td><td>%s (%s)</td>", cell.n(), escape(cell.calibrationCell()),
                        cell.calibrationSize(), escape(point.name()), point.alpha()))
                        .append(rate(point.conditionalFlagRate(), point.conditionalWithin3Sigma()))
                        .append(rate(point.globalThresholdFlagRate(), point.globalThresholdWithin3Sigma()))
                        .append(String.format(Locale.ROOT, "<td>%.4f%% &plusmn; %.4f%%</td><td>%.3g</td></tr>\n",
                                100 * point.alpha(), 300 * point.binomialSigma(), cell.uniformityKsPValue()));
            }
        }
        html.append("</table>\n<p>Rates in red lie more than 3 binomial standard deviations from alpha.</p>\n");
    }

    private static String rate(double rate, boolean within) {
        return String.format(Locale.ROOT, "<td%s>%.4f%%</td>", within ? "" : " class=\"outside\"", 100 * rate);
    }

    static String describe(EvaluationReport.Input input) {
        if (input.file() != null) {
            return "file " + input.file();
        }
        return (input.scenario() == null ? "the standard fill" : "scenario " + input.scenario())
                + " simulated with seed " + input.seed();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
