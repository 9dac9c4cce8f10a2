package org.oddity.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG figures, drawn with XChart off screen: ROC curves on a log FPR axis, the flag rate per
 * cell under conditional and global calibration at each working point, and the p-value histogram of each cell.
 */
final class ReportPlots {

    static final String ROC = "roc.png";
    static final String P_VALUES = "pvalues.png";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;
    private static final int HISTOGRAM_WIDTH = 560;
    private static final int HISTOGRAM_HEIGHT = 300;
    private static final int HISTOGRAM_COLUMNS = 2;
    private static final int GUESS_POINTS = 100;
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private ReportPlots() {
    }

    /** File name of the flag-rate figure of working point {@code name}. */
    static String flagRates(String name) {
        return "flag-rates-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
    }

    /**
     * Writes every figure into {@code dir} and returns the files written with a caption each, in page order.
     */
    static Map<String, String> write(EvaluationReport report, Path dir) throws IOException {
        Map<String, String> figures = new LinkedHashMap<>();
        if (!report.signals().isEmpty()) {
            save(roc(report), dir.resolve(ROC));
            figures.put(ROC, "ROC curves of the raw score, each signal or fault label against the background");
        }
        if (!report.cells().isEmpty()) {
            for (EvaluationReport.WorkingPointSummary point : report.workingPoints()) {
                save(flagRates(report, point), dir.resolve(flagRates(point.name())));
                figures.put(flagRates(point.name()), String.format(Locale.ROOT, "Background flag rate per cell at"
                        + " working point %s (alpha = %s): per-cell conformal calibration against one global"
                        + " threshold; error bars span the 68%% Clopper-Pearson interval's half-width",
                        point.name(), point.alpha()));
            }
            List<CategoryChart> histograms = new ArrayList<>();
            for (EvaluationReport.Cell cell : report.cells()) {
                histograms.add(histogram(cell));
            }
            int rows = (histograms.size() + HISTOGRAM_COLUMNS - 1) / HISTOGRAM_COLUMNS;
            try (OutputStream out = Files.newOutputStream(dir.resolve(P_VALUES))) {
                BitmapEncoder.saveBitmap(histograms, rows, Math.min(HISTOGRAM_COLUMNS, histograms.size()), out,
                        BitmapEncoder.BitmapFormat.PNG);
            }
            figures.put(P_VALUES, "Background p-values per cell against the uniform expectation (dashed)");
        }
        return figures;
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart roc(EvaluationReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("ROC: model "
                + report.model().name() + " (" + report.model().scorer() + ")")
                .xAxisTitle("false-positive rate (background)").yAxisTitle("true-positive rate").build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        double lowest = 1.0;
        for (EvaluationReport.Signal signal : report.signals()) {
            if (signal.roc().fpr().length == 0) {
                continue;
            }
            lowest = Math.min(lowest, signal.roc().fpr()[0]);
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s%s (AUC %.4f)", signal.label(),
                    signal.fault() ? " [fault]" : "", signal.auc()), signal.roc().fpr(), signal.roc().tpr());
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        }
        // TPR = FPR is a curve on a log FPR axis, so it is drawn through many points, not as one segment.
        double[] diagonal = new double[GUESS_POINTS];
        for (int i = 0; i < GUESS_POINTS; i++) {
            diagonal[i] = Math.pow(lowest, 1.0 - i / (GUESS_POINTS - 1.0));
        }
        XYSeries guess = chart.addSeries("random guess", diagonal, diagonal);
        guess.setMarker(SeriesMarkers.NONE);
        guess.setLineColor(Color.GRAY);
        guess.setLineStyle(DASHED);
        return chart;
    }

    private static CategoryChart flagRates(EvaluationReport report, EvaluationReport.WorkingPointSummary point) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 150)
                .title("Flag rate per cell at " + point.name() + " (alpha = " + point.alpha() + ")")
                .xAxisTitle("cell").yAxisTitle("background flag rate").build();
        CategoryStyler styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        styler.setOverlapped(true);
        styler.setXAxisLabelRotation(90);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setMarkerSize(9);
        styler.setYAxisMin(0.0);
        List<String> names = new ArrayList<>();
        List<Double> conditional = new ArrayList<>();
        List<Double> conditionalErrors = new ArrayList<>();
        List<Double> global = new ArrayList<>();
        List<Double> globalErrors = new ArrayList<>();
        List<Double> alpha = new ArrayList<>();
        for (EvaluationReport.Cell cell : report.cells()) {
            EvaluationReport.CellWorkingPoint rate = cell.workingPoints().stream()
                    .filter(w -> w.name().equals(point.name())).findFirst().orElseThrow();
            names.add(cell.cell());
            conditional.add(rate.conditionalFlagRate());
            conditionalErrors.add(halfWidth(rate.conditionalInterval().lower(), rate.conditionalInterval().upper()));
            global.add(rate.globalThresholdFlagRate());
            globalErrors.add(halfWidth(rate.globalThresholdInterval().lower(), rate.globalThresholdInterval().upper()));
            alpha.add(point.alpha());
        }
        chart.addSeries("per-cell calibration", names, conditional, conditionalErrors);
        chart.addSeries("one global threshold", names, global, globalErrors).setMarker(SeriesMarkers.DIAMOND);
        dashedLine(chart.addSeries("alpha", names, alpha));
        return chart;
    }

    private static double halfWidth(double lower, double upper) {
        return (upper - lower) / 2.0;
    }

    private static CategoryChart histogram(EvaluationReport.Cell cell) {
        long[] counts = cell.pValueHistogram().counts();
        int bins = counts.length;
        CategoryChart chart = new CategoryChartBuilder().width(HISTOGRAM_WIDTH).height(HISTOGRAM_HEIGHT)
                .title(String.format(Locale.ROOT, "%s (KS p = %.3g)", cell.cell(), cell.uniformityKsPValue()))
                .xAxisTitle("p-value bin").yAxisTitle("events").build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setXAxisLabelRotation(90);
        styler.setOverlapped(true);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(10f));
        List<String> edges = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            edges.add(String.format(Locale.ROOT, "%.2f", b / (double) bins));
            values.add(counts[b]);
            expected.add(cell.n() / (double) bins);
        }
        chart.addSeries("p-values", edges, values);
        dashedLine(chart.addSeries("uniform", edges, expected));
        return chart;
    }

    /** Draws {@code series} as a dashed grey line without markers: an expectation, not a measurement. */
    private static void dashedLine(CategorySeries series) {
        series.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line)
                .setMarker(SeriesMarkers.NONE);
        series.setLineColor(Color.DARK_GRAY);
        series.setLineStyle(DASHED);
    }
}
