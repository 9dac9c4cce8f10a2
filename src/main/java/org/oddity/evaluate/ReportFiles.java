package org.oddity.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a report directory: {@code report.json}, the per-cell table as {@code cells.csv}, the PNG figures and
 * the {@code index.html} that shows them.
 */
public final class ReportFiles {

    /** The machine-readable report inside the directory. */
    public static final String JSON = "report.json";
    /** The per-cell table, one row per cell and working point. */
    public static final String CELLS_CSV = CellsCsv.FILE;
    /** The page that shows the tables and figures. */
    public static final String PAGE = ReportPage.FILE;

    private ReportFiles() {
    }

    /** Creates {@code dir} if needed and writes every file of {@code report} into it. */
    public static void write(EvaluationReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), report);
        CellsCsv.write(report, dir);
        Map<String, String> figures = ReportPlots.write(report, dir);
        ReportPage.write(report, figures, dir);
    }
}
