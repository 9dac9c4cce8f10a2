package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard: every panel queries the provisioned Prometheus data source; every query reads only
 * series oddity serves or the recording rules make, uses only variables the dashboard defines, and parses as
 * PromQL; the panels cover what the dashboard is for, and none hides another.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/oddity.json");
    private static final Path DATA_SOURCES = Path.of("deploy/grafana/provisioning/datasources/prometheus.yml");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
    /** Values Grafana puts in place of its own variables, so that promtool can parse the queries. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$__rate_interval", "1m", "$__range", "1h");

    private static JsonNode dashboard;
    private static List<JsonNode> panels;

    @TempDir
    Path temp;

    @BeforeAll
    static void read() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            if (!panel.path("type").asText().equals("row")) {
                panels.add(panel);
            }
        });
    }

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() throws IOException {
        JsonNode source = new YAMLMapper().readTree(DATA_SOURCES.toFile()).path("datasources").get(0);
        assertEquals("prometheus", source.path("type").asText());
        String uid = source.path("uid").asText();
        assertFalse(panels.isEmpty());
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertFalse(panel.path("targets").isEmpty(), () -> "panel " + title + " has no query");
            assertEquals(uid, panel.path("datasource").path("uid").asText(), () -> "data source of " + title);
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), () -> "an empty query in " + title);
                assertEquals(uid, target.path("datasource").path("uid").asText(), () -> "data source of " + title);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            assertEquals(uid, variable.path("datasource").path("uid").asText());
        }
    }

    @Test
    void queriesReadOnlySeriesOddityServesOrTheRulesRecord() throws IOException {
        Set<String> readable = new HashSet<>(MetricCatalogue.SERVED);
        readable.addAll(MetricCatalogue.recorded());
        for (String query : queries()) {
            Set<String> read = PromQl.metricNames(query);
            assertFalse(read.isEmpty(), query);
            for (String name : read) {
                assertTrue(readable.contains(name), () -> "the dashboard reads " + name
                        + ", which oddity does not serve and no rule records: " + query);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher values = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
            assertTrue(values.matches(),
                    () -> "variable " + variable.path("name").asText() + " lists a label's values");
            assertTrue(MetricCatalogue.SERVED.containsAll(PromQl.metricNames(values.group(1))), values.group(1));
        }
    }

    @Test
    void queriesUseOnlyVariablesTheDashboardDefines() {
        Set<String> defined = new TreeSet<>();
        dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
        assertEquals(Set.of("application", "cell", "working_point"), defined);
        List<String> texts = new ArrayList<>(queries());
        panels.forEach(p -> texts.add(p.path("title").asText()));
        dashboard.path("templating").path("list").forEach(v -> texts.add(v.path("query").path("query").asText()));
        for (String text : texts) {
            Matcher used = VARIABLE.matcher(text);
            while (used.find()) {
                String name = used.group(1);
                assertTrue(name.startsWith("__") || defined.contains(name),
                        () -> "$" + name + " is not defined: " + text);
            }
        }
        for (JsonNode panel : panels) {
            if (panel.has("repeat")) {
                assertTrue(defined.contains(panel.path("repeat").asText()), "a panel repeats over a defined variable");
            }
        }
    }

    @Test
    void queriesAreValidPromQl() throws Exception {
        ExternalTool.assumeInstalled("promtool");
        // promtool parses PromQL in rule files: each query becomes a recording rule, with values for the variables.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> queries = queries();
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i);
            for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
                query = query.replace(variable.getKey(), variable.getValue());
            }
            query = VARIABLE.matcher(query).replaceAll("x");
            rules.append("      - record: dashboard:query").append(i).append(":check\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(query)).append('\n');
        }
        Path file = Files.writeString(temp.resolve("dashboard.rules.yml"), rules);
        ExternalTool.Result result = ExternalTool.run(List.of("promtool", "check", "rules", file.toString()));
        assertEquals(0, result.exitCode(), () -> rules + "\n" + result.output());
    }

    @Test
    void panelsShowWhatTheDashboardIsFor() {
        String all = String.join("\n", queries());
        for (String series : List.of("cell_working_point:oddity_anomaly_rate:ratio10m",
                "cell_working_point:oddity_anomaly_rate_expected:alpha",
                "cell_working_point:oddity_anomaly_rate_band:halfwidth10m",
                "oddity_events_flagged_per_working_point_total", "oddity_events_scored_total", "oddity_alerts_open",
                "oddity_ready", "kafka_consumer_fetch_manager_records_lag_max", "oddity_dead_letters_total",
                "oddity_model_info", "oddity_calibration_set_size", "oddity_calibration_age_seconds")) {
            assertTrue(all.contains(series), () -> "no panel shows " + series);
        }
        for (String histogram : List.of("oddity_flag_latency_seconds_bucket",
                "oddity_scoring_latency_seconds_bucket")) {
            for (String quantile : List.of("0.5", "0.99", "0.999")) {
                assertTrue(all.contains("histogram_quantile(" + quantile + ", sum by (le) (rate(" + histogram),
                        () -> "no p" + quantile + " of " + histogram);
            }
        }
    }

    @Test
    void panelsDoNotOverlap() {
        List<int[]> boxes = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            JsonNode grid = panel.path("gridPos");
            boxes.add(new int[] {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
                grid.path("h").asInt()});
        });
        for (int i = 0; i < boxes.size(); i++) {
            int[] a = boxes.get(i);
            assertTrue(a[0] >= 0 && a[0] + a[2] <= 24 && a[2] > 0 && a[3] > 0, "panel " + i + " fits the 24 columns");
            for (int j = i + 1; j < boxes.size(); j++) {
                int[] b = boxes.get(j);
                boolean apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0]
                        || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
                assertTrue(apart, "panels " + i + " and " + j + " overlap");
            }
        }
    }

    private static List<String> queries() {
        List<String> queries = new ArrayList<>();
        panels.forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        return queries;
    }
}
