package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.oddity.monitor.AlertKind;

/**
 * deploy/prometheus: promtool accepts both configurations and the rules, and its unit tests prove every alert
 * fires on the situation it names and stays silent otherwise; the rules read only series oddity serves or the
 * recording rules make; the alert kinds they name are the kinds oddity raises.
 */
class PrometheusRulesTest {

    private static final Path DIRECTORY = Path.of("deploy/prometheus");
    private static final Path ALERTING_RULES = DIRECTORY.resolve("alerts.rules.yml");
    private static final Pattern KIND_MATCHER = Pattern.compile("kind\\s*(=~|!~|=)\\s*\"([^\"]*)\"");
    /** The drift alert: every kind but those about oddity itself. */
    private static final String DRIFT_ALERT = "OddityDriftAlertOpen";

    @Test
    void promtoolAcceptsTheComposeAndTheKubernetesConfigurations() throws Exception {
        ExternalTool.assumeInstalled("promtool");
        for (String config : List.of("prometheus.yml", "prometheus-k8s.yml")) {
            assertSucceeds(List.of("promtool", "check", "config", DIRECTORY.resolve(config).toString()));
        }
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        ExternalTool.assumeInstalled("promtool");
        List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
        command.addAll(files(DIRECTORY, ".rules.yml"));
        assertEquals(List.of("promtool", "check", "rules", ALERTING_RULES.toString(),
                MetricCatalogue.RECORDING_RULES.toString()), command);
        assertSucceeds(command);
    }

    @Test
    void everyAlertFiresAndStaysSilentAsItsUnitTestsSay() throws Exception {
        ExternalTool.assumeInstalled("promtool");
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        command.addAll(files(DIRECTORY.resolve("tests"), ".yml"));
        String output = assertSucceeds(command);
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void everyAlertHasATestOfItFiringAndOneOfItSilent() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (String file : files(DIRECTORY.resolve("tests"), ".yml")) {
            for (JsonNode group : new YAMLMapper().readTree(Path.of(file).toFile()).path("tests")) {
                for (JsonNode test : group.path("alert_rule_test")) {
                    (test.path("exp_alerts").isEmpty() ? silent : firing).add(test.path("alertname").asText());
                }
            }
        }
        Set<String> alerts = new TreeSet<>(alerts().stream().map(a -> a.path("alert").asText()).toList());
        assertEquals(alerts, firing, "alerts with a test that sees them fire");
        assertEquals(alerts, silent, "alerts with a test that sees them silent");
    }

    @Test
    void rulesReadOnlySeriesOddityServesOrThatAreRecordedBefore() throws IOException {
        Set<String> readable = new HashSet<>(MetricCatalogue.SERVED);
        readable.addAll(MetricCatalogue.PER_TARGET);
        JsonNode recording = new YAMLMapper().readTree(MetricCatalogue.RECORDING_RULES.toFile());
        for (JsonNode group : recording.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertReads(readable, rule.path("record").asText(), rule.path("expr").asText());
                String record = rule.path("record").asText();
                assertEquals(3, record.split(":").length, () -> record + " is named level:metric:operations");
                readable.add(record);
            }
        }
        for (JsonNode alert : alerts()) {
            assertReads(readable, alert.path("alert").asText(), alert.path("expr").asText());
        }
    }

    @Test
    void alertKindsNamedInTheRulesAreKindsOddityRaises() throws Exception {
        Set<String> operational = operationalKinds();
        Set<String> kinds = new HashSet<>(operational);
        Arrays.stream(AlertKind.values()).map(Enum::name).forEach(kinds::add);
        for (JsonNode alert : alerts()) {
            Matcher matcher = KIND_MATCHER.matcher(alert.path("expr").asText());
            while (matcher.find()) {
                for (String kind : matcher.group(2).split("\\|")) {
                    assertTrue(kinds.contains(kind), () -> alert.path("alert").asText() + " names kind " + kind
                            + ", which oddity does not raise (" + kinds + ")");
                }
                if (alert.path("alert").asText().equals(DRIFT_ALERT)) {
                    assertEquals("!~", matcher.group(1));
                    assertEquals(operational, Set.of(matcher.group(2).split("\\|")),
                            "the drift alert leaves out exactly the alerts about oddity itself");
                }
            }
        }
    }

    @Test
    void unitTestsFeedTheSeriesOddityServes() throws IOException {
        Set<String> served = new HashSet<>(MetricCatalogue.SERVED);
        served.addAll(MetricCatalogue.PER_TARGET);
        for (String file : files(DIRECTORY.resolve("tests"), ".yml")) {
            for (JsonNode group : new YAMLMapper().readTree(Path.of(file).toFile()).path("tests")) {
                for (JsonNode series : group.path("input_series")) {
                    String name = series.path("series").asText().replaceAll("\\{.*", "");
                    assertTrue(served.contains(name), () -> file + " feeds " + name + ", which oddity does not serve");
                }
            }
        }
    }

    private static void assertReads(Set<String> readable, String rule, String expression) {
        Set<String> read = PromQl.metricNames(expression);
        assertFalse(read.isEmpty(), rule);
        for (String name : read) {
            assertTrue(readable.contains(name), () -> rule + " reads " + name
                    + ", which oddity does not serve and no earlier rule records");
        }
    }

    private static List<JsonNode> alerts() throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        new YAMLMapper().readTree(ALERTING_RULES.toFile()).path("groups")
                .forEach(group -> group.path("rules").forEach(alerts::add));
        return alerts;
    }

    /** The kinds of the alerts about oddity itself: OperationalAlerts' constants, which are package-private. */
    private static Set<String> operationalKinds() throws ReflectiveOperationException {
        Set<String> kinds = new TreeSet<>();
        for (Field field : Class.forName("org.oddity.topology.OperationalAlerts").getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                kinds.add((String) field.get(null));
            }
        }
        assertFalse(kinds.isEmpty());
        return kinds;
    }

    private static List<String> files(Path directory, String suffix) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.map(Path::toString).filter(f -> f.endsWith(suffix)).sorted().toList();
        }
    }

    private static String assertSucceeds(List<String> command) throws Exception {
        ExternalTool.Result result = ExternalTool.run(command);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + ":\n" + result.output());
        return result.output();
    }
}
