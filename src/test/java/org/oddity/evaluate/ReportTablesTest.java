package org.oddity.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.stats.ClopperPearsonInterval;

class ReportTablesTest {

    private static final double ALPHA = 0.01;
    /** Background events of the small cell, and the scores of its calibration set. */
    private static final long N = 2_000;
    private static final int M = 200;
    /** 2.5% flagged: 6.7 binomial sigma from alpha, but 2.0 sigma once the calibration set's spread counts. */
    private static final long FLAGGED = 50;

    @TempDir
    Path dir;

    @Test
    void tprIsReportedAtEveryWorkingPointsAlphaAndTheFixedRatesLargestFirst() {
        List<WorkingPoint> defaults = List.of(new WorkingPoint("loose", 1e-2), new WorkingPoint("medium", 1e-3),
                new WorkingPoint("tight", 1e-4));
        assertArrayEquals(new double[] {1e-2, 1e-3, 1e-4, 1e-5}, ReportAssembler.fprs(defaults));
        List<WorkingPoint> other = List.of(new WorkingPoint("wide", 5e-2), new WorkingPoint("mid", 2e-3));
        assertArrayEquals(new double[] {5e-2, 2e-3, 1e-3, 1e-4, 1e-5}, ReportAssembler.fprs(other));
    }

    @Test
    void consoleCountsTheCalibrationSpreadSoASmallCellIsNotCalledOff() {
        EvaluationReport.CellWorkingPoint point = smallCell().workingPoints().get(0);
        assertFalse(point.conditionalWithin3Sigma(), "off by the binomial sigma alone");
        assertTrue(SummaryTable.conditionalWithinCalibrationSpread(point));

        String console = print(report());
        String row = console.lines().filter(l -> l.startsWith("small")).findFirst().orElseThrow();
        assertTrue(row.matches("small\\s+2,000\\s+2\\.500% +within\\s+1\\.000% +within\\s+0\\.500"), row);
        assertTrue(console.contains("sqrt(alpha (1 - alpha) (1/n + 1/m))"), console);
    }

    @Test
    void consoleShowsTheTprAtTheLooseWorkingPoint() {
        String console = print(report());
        assertTrue(console.lines().anyMatch(l -> l.matches("signal\\s+events\\s+AUC\\s+TPR@1\\.0E-2\\s+TPR@1\\.0E-3"
                + "\\s+TPR@1\\.0E-4\\s+TPR@1\\.0E-5")), console);
        assertTrue(console.lines().anyMatch(l -> l.matches(
                "A_4l\\s+300\\s+0\\.9000\\s+0\\.6000\\s+0\\.2500\\s+-\\s+-")), console);
    }

    @Test
    void cellsCsvHoldsTheNumbersOfReportJson() throws IOException {
        ReportFiles.write(report(), dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve(ReportFiles.JSON).toFile());
        assertTrue(json.get("signals").get(0).get("tprAtFpr").has("1.0E-2"));
        List<String> lines = Files.readAllLines(dir.resolve(ReportFiles.CELLS_CSV));
        assertEquals(String.join(",", CellsCsv.COLUMNS), lines.get(0));
        assertEquals(1 + 2, lines.size(), "a row per cell and working point");
        assertTrue(Files.readString(dir.resolve(ReportFiles.PAGE)).contains("href=\"cells.csv\""));

        int row = 1;
        for (JsonNode cell : json.get("cells")) {
            for (JsonNode point : cell.get("workingPoints")) {
                String[] fields = lines.get(row++).split(",", -1);
                assertEquals(CellsCsv.COLUMNS.size(), fields.length);
                Map<String, String> csv = new LinkedHashMap<>();
                for (int i = 0; i < fields.length; i++) {
                    csv.put(CellsCsv.COLUMNS.get(i), fields[i]);
                }
                assertEquals(cell.get("cell").asText(), csv.get("cell"));
                assertEquals(cell.get("n").asLong(), Long.parseLong(csv.get("n")));
                assertEquals(cell.get("events").asLong(), Long.parseLong(csv.get("events")));
                assertEquals(point.get("name").asText(), csv.get("workingPoint"));
                assertEquals(point.get("calibrationCell").asText(), csv.get("calibrationCell"));
                for (String number : List.of("alpha", "calibrationSize", "binomialSigma", "sigmaWithCalibration",
                        "cellThreshold", "conditionalFlagged", "conditionalFlagRate", "globalThresholdFlagged",
                        "globalThresholdFlagRate")) {
                    assertEquals(point.get(number).asDouble(), Double.parseDouble(csv.get(number)), number);
                }
                assertEquals(point.get("conditionalInterval").get("lower").asDouble(),
                        Double.parseDouble(csv.get("conditionalIntervalLower")));
                assertEquals(point.get("globalThresholdInterval").get("upper").asDouble(),
                        Double.parseDouble(csv.get("globalThresholdIntervalUpper")));
                assertEquals(point.get("conditionalWithin3Sigma").asBoolean(),
                        Boolean.parseBoolean(csv.get("conditionalWithin3Sigma")));
                assertEquals(point.get("globalThresholdWithin3Sigma").asBoolean(),
                        Boolean.parseBoolean(csv.get("globalThresholdWithin3Sigma")));
                assertEquals(cell.get("uniformityKsPValue").asDouble(),
                        Double.parseDouble(csv.get("uniformityKsPValue")));
            }
        }
    }

    private static String print(EvaluationReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryTable.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static EvaluationReport.Cell smallCell() {
        double binomial = Math.sqrt(ALPHA * (1 - ALPHA) / N);
        double withCalibration = Math.sqrt(ALPHA * (1 - ALPHA) * (1.0 / N + 1.0 / M));
        double rate = FLAGGED / (double) N;
        long global = 20;
        return cell("small", List.of(
                new EvaluationReport.CellWorkingPoint("loose", ALPHA, "small", M, binomial, withCalibration, 1.5,
                        FLAGGED, rate, ClopperPearsonInterval.of(FLAGGED, N, ClopperPearsonInterval.ONE_SIGMA),
                        Math.abs(rate - ALPHA) <= 3 * binomial, global, global / (double) N,
                        ClopperPearsonInterval.of(global, N, ClopperPearsonInterval.ONE_SIGMA), true),
                new EvaluationReport.CellWorkingPoint("medium", 1e-3, "global", 50_000, 7e-4, 7.1e-4, 2.25, 2,
                        1e-3, ClopperPearsonInterval.of(2, N, ClopperPearsonInterval.ONE_SIGMA), true, 3, 1.5e-3,
                        ClopperPearsonInterval.of(3, N, ClopperPearsonInterval.ONE_SIGMA), true)));
    }

    private static EvaluationReport.Cell cell(String name, List<EvaluationReport.CellWorkingPoint> points) {
        return new EvaluationReport.Cell(name, N, N + 300, name, 0, M, points, 0.02, 181.8, 0.5,
                new EvaluationReport.Histogram(2, new long[] {1_000, 1_000}));
    }

    private static EvaluationReport report() {
        Map<String, Double> tpr = new LinkedHashMap<>();
        tpr.put("1.0E-2", 0.6);
        tpr.put("1.0E-3", 0.25);
        tpr.put("1.0E-4", null);
        tpr.put("1.0E-5", null);
        Map<String, Double> thresholds = new LinkedHashMap<>(tpr);
        EvaluationReport.Signal signal = new EvaluationReport.Signal("A_4l", false, 300, 0.9, 0.01, tpr, thresholds,
                Map.of(), List.of(new EvaluationReport.SignalWorkingPoint("loose", ALPHA, 0.6, 0.5),
                        new EvaluationReport.SignalWorkingPoint("medium", 1e-3, 0.25, 0.2)),
                new EvaluationReport.Roc(new double[] {1e-3, 1e-2, 1}, new double[] {0.25, 0.6, 1}));
        return new EvaluationReport(new EvaluationReport.Model("l1-hbos", "1", "hbos", "trigger-objects", null,
                List.of(), "bundle"), new EvaluationReport.Input(null, null, 9L), "conservative",
                List.of(new EvaluationReport.WorkingPointSummary("loose", ALPHA, 1.4),
                        new EvaluationReport.WorkingPointSummary("medium", 1e-3, 2.3)),
                ClopperPearsonInterval.ONE_SIGMA, true, N + 300, N + 300, N, Map.of(), 1.0,
                List.of("1.0E-2", "1.0E-3", "1.0E-4", "1.0E-5"), List.of(smallCell()), List.of(signal));
    }
}
