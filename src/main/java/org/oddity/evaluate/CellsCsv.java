package org.oddity.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the per-cell table of a report as {@code cells.csv}: one row per finest cell and working point,
 * the numbers of {@code report.json}'s {@code cells[].workingPoints[]} with the cell's own fields repeated,
 * for a spreadsheet or a data frame. Numbers are written as Java prints them, so they read back unchanged.
 */
final class CellsCsv {

    /** The file inside the report directory. */
    static final String FILE = "cells.csv";

    /** The header row, in column order. */
    static final List<String> COLUMNS = List.of("cell", "n", "events", "workingPoint", "alpha", "calibrationCell",
            "calibrationSize", "binomialSigma", "sigmaWithCalibration", "cellThreshold", "conditionalFlagged",
            "conditionalFlagRate", "conditionalIntervalLower", "conditionalIntervalUpper", "conditionalWithin3Sigma",
            "globalThresholdFlagged", "globalThresholdFlagRate", "globalThresholdIntervalLower",
            "globalThresholdIntervalUpper", "globalThresholdWithin3Sigma", "uniformityKsStatistic",
            "uniformityKsPValue");

    private CellsCsv() {
    }

    static void write(EvaluationReport report, Path dir) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (EvaluationReport.Cell cell : report.cells()) {
            for (EvaluationReport.CellWorkingPoint w : cell.workingPoints()) {
                csv.append(Stream.of(field(cell.cell()), cell.n(), cell.events(), field(w.name()), w.alpha(),
                        field(w.calibrationCell()), w.calibrationSize(), w.binomialSigma(), w.sigmaWithCalibration(),
                        w.cellThreshold(), w.conditionalFlagged(), w.conditionalFlagRate(),
                        w.conditionalInterval().lower(), w.conditionalInterval().upper(), w.conditionalWithin3Sigma(),
                        w.globalThresholdFlagged(), w.globalThresholdFlagRate(), w.globalThresholdInterval().lower(),
                        w.globalThresholdInterval().upper(), w.globalThresholdWithin3Sigma(),
                        cell.uniformityKsStatistic(), cell.uniformityKsPValue())
                        .map(String::valueOf).collect(Collectors.joining(","))).append('\n');
            }
        }
        Files.writeString(dir.resolve(FILE), csv);
    }

    /** A text field, quoted (RFC 4180) when a cell name holds a comma, a quote or a line break. */
    private static String field(String text) {
        if (text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
