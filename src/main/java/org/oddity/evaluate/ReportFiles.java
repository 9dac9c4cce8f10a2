package org.oddity.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a report directory: {@code report.json}, the PNG figures and the {@code index.html} that shows them. */
public final class ReportFiles {

    /** The machine-readable report inside the directory. */
    public static final String JSON = "report.json";
    /** The page that shows the tables and figures. */
    public static final String PAGE = ReportPage.FILE;

    private ReportFiles() {
    }

    /** Creates {@code dir} if needed and writes every file of {@code report} into it. */
    public static void write(EvaluationReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), report);
        Map<String, String> figures = ReportPlots.write(report, dir);
        ReportPage.write(report, figures, dir);
    }
}
