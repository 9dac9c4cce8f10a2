package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oddity.config.OdditySettings;

/**
 * docker-compose.yml: Debian's docker-compose accepts it, and its services are wired together. oddity reaches
 * Kafka on a listener the broker advertises, scores with the bundle the train service writes, keeps its work
 * directory on a volume; every oddity command line and setting is one oddity accepts; Prometheus scrapes the
 * scorer's metrics port, and Grafana reads Prometheus and the dashboards' directory.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final String KAFKA = "kafka";
    private static final String SCORER = "oddity";
    private static final String TRAIN = "train";
    private static final String SIMULATOR = "simulator";
    private static final String PROMETHEUS = "prometheus";
    private static final String GRAFANA = "grafana";

    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        compose = new YAMLMapper().readTree(COMPOSE.toFile());
        services = compose.path("services");
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        ExternalTool.assumeInstalled("docker-compose");
        ExternalTool.Result result =
                ExternalTool.run(List.of("docker-compose", "-f", COMPOSE.toString(), "config", "-q"));
        assertEquals(0, result.exitCode(), () -> "docker-compose config:\n" + result.output());
    }

    @Test
    void kafkaIsOneKraftNodeOfThePomsKafkaVersion() throws IOException {
        Matcher version = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        JsonNode kafka = service(KAFKA);
        assertEquals("apache/kafka:" + version.group(1), kafka.path("image").asText());
        Map<String, String> env = environment(kafka);
        assertEquals(List.of("broker", "controller"),
                Arrays.stream(env.get("KAFKA_PROCESS_ROLES").split(",")).sorted().toList());
        // One broker: exactly-once processing needs the transaction log at one replica, as the offsets topic.
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"));
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"));
        assertEquals("1", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"));
        assertTrue(services.properties().stream().noneMatch(s -> s.getKey().contains("zookeeper")),
                "KRaft, no ZooKeeper");
    }

    @Test
    void everyOddityServiceRunsTheImageWithACommandLineAndSettingsOdditysAccepts() {
        List<String> oddity = oddityServices();
        assertEquals(List.of(TRAIN, SCORER, SIMULATOR), oddity);
        for (String name : oddity) {
            JsonNode service = service(name);
            assertEquals(service(TRAIN).path("image").asText(), service.path("image").asText(), "one image");
            settings(name);
        }
    }

    @Test
    void everyOddityVariableInTheFileIsASetting() {
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            Map<String, String> env = environment(service.getValue());
            assertEquals(List.of(), List.copyOf(DeploySettings.unknownVariables(env.keySet())),
                    () -> "service " + service.getKey() + " sets ODDITY_* variables that are no oddity setting");
        }
    }

    @Test
    void scorerAndSimulatorReachKafkaOnAListenerItAdvertises() {
        Map<String, String> kafka = environment(service(KAFKA));
        Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
        for (String name : List.of(SCORER, SIMULATOR)) {
            String servers = settings(name).kafka().bootstrapServers();
            for (String server : servers.split(",")) {
                String listener = advertised.entrySet().stream().filter(e -> e.getValue().equals(server))
                        .map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " connects to " + server
                                + ", which Kafka does not advertise: " + advertised));
                assertEquals(KAFKA, server.split(":")[0], "the kafka service, by its name on the compose network");
                assertEquals(port(server), port(bound.get(listener)), () -> "Kafka listens on " + server);
            }
            assertEquals("service_healthy", service(name).path("depends_on").path(KAFKA).path("condition").asText(),
                    () -> name + " waits for a broker that answers");
        }
    }

    @Test
    void scorerScoresWithTheBundleTheTrainServiceWrites() {
        OddityCommandLine train = commandLine(TRAIN);
        assertEquals("train", train.subcommand());
        Path written = train.option("--output");
        OdditySettings scorer = settings(SCORER);
        assertEquals("run", commandLine(SCORER).subcommand());
        assertTrue(commandLine(SCORER).has("--create-topics"), "the scorer creates its topics on a fresh broker");
        assertEquals(written, scorer.modelBundle(), "the scorer loads the bundle the train service writes");
        String trainVolume = volumeHolding(TRAIN, written).orElseThrow(() -> new AssertionError("train writes "
                + written + " outside any volume"));
        String scorerVolume = volumeHolding(SCORER, scorer.modelBundle()).orElseThrow(() -> new AssertionError(
                "the scorer reads " + scorer.modelBundle() + " outside any volume"));
        assertEquals(trainVolume, scorerVolume, "one volume between them");
        assertEquals("service_completed_successfully",
                service(SCORER).path("depends_on").path(TRAIN).path("condition").asText(), "train first, to its end");
        assertTrue(mounts(SCORER).containsKey(scorer.workDir().toString()),
                () -> "the work directory " + scorer.workDir() + " is a volume: " + mounts(SCORER));
    }

    @Test
    void simulatorPublishesAPacedFillToTheEventsTopic() {
        OddityCommandLine simulate = commandLine(SIMULATOR);
        assertEquals("simulate", simulate.subcommand());
        double rate = simulate.option("--rate");
        assertTrue(rate > 0, "paced in real time");
        assertFalse(simulate.has("--output"), "to Kafka, not a file");
        String servers = simulate.option("--bootstrap-servers");
        assertEquals(KAFKA + ":9092", servers);
    }

    @Test
    void prometheusScrapesTheScorersMetricsEndpoint() throws IOException {
        Map<String, String> mounts = mounts(PROMETHEUS);
        String directory = mounts.entrySet().stream().filter(e -> e.getValue().equals("./deploy/prometheus"))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("Prometheus does not mount deploy/prometheus: " + mounts));
        List<String> command = strings(service(PROMETHEUS).path("command"));
        assertTrue(command.contains("--config.file=" + directory + "/prometheus.yml"), () -> "config file: " + command);
        JsonNode config = new YAMLMapper().readTree(Path.of("deploy/prometheus/prometheus.yml").toFile());
        List<String> targets = new ArrayList<>();
        config.path("scrape_configs").forEach(job -> job.path("static_configs")
                .forEach(group -> targets.addAll(strings(group.path("targets")))));
        OdditySettings scorer = settings(SCORER);
        assertEquals("0.0.0.0", scorer.metrics().host(), "the endpoint answers other containers");
        assertEquals(List.of(SCORER + ":" + scorer.metrics().port()), targets);
        for (JsonNode rules : config.path("rule_files")) {
            assertTrue(Files.exists(Path.of("deploy/prometheus", rules.asText())), "rule file " + rules.asText());
        }
    }

    @Test
    void grafanaReadsPrometheusAndTheDashboardsDirectory() throws IOException {
        Map<String, String> mounts = mounts(GRAFANA);
        assertEquals("./deploy/grafana/provisioning", mounts.get("/etc/grafana/provisioning"),
                "Grafana's provisioning");
        JsonNode sources = new YAMLMapper().readTree(
                Path.of("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());
        URI url = URI.create(sources.path("datasources").get(0).path("url").asText());
        assertEquals(PROMETHEUS, url.getHost());
        assertTrue(strings(service(PROMETHEUS).path("ports")).contains(url.getPort() + ":" + url.getPort()),
                "Prometheus listens on " + url.getPort());
        JsonNode providers = new YAMLMapper().readTree(
                Path.of("deploy/grafana/provisioning/dashboards/oddity.yml").toFile());
        String path = providers.path("providers").get(0).path("options").path("path").asText();
        assertEquals("./deploy/grafana/dashboards", mounts.get(path), "the provider reads the mounted dashboards");
    }

    @Test
    void everyHostPathExistsAndEveryNamedVolumeIsDeclared() {
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (String source : mounts(service.getKey()).values()) {
                if (source.startsWith(".")) {
                    assertTrue(Files.isDirectory(Path.of(source)),
                            () -> service.getKey() + " mounts missing " + source);
                } else {
                    assertTrue(compose.path("volumes").has(source), () -> "undeclared volume " + source);
                }
            }
        }
    }

    /** The services that build the Dockerfile's image, in file order. */
    private static List<String> oddityServices() {
        return services.properties().stream().filter(s -> s.getValue().path("build").asText().equals("."))
                .map(Map.Entry::getKey).toList();
    }

    private static JsonNode service(String name) {
        JsonNode service = services.get(name);
        assertNotNull(service, () -> "no service " + name + " in " + COMPOSE);
        return service;
    }

    private static OddityCommandLine commandLine(String name) {
        return OddityCommandLine.parse(strings(service(name).path("command")));
    }

    /** The settings oddity starts with in service {@code name}: the image's environment, the service's, its flags. */
    private static OdditySettings settings(String name) {
        Map<String, String> env = new LinkedHashMap<>(Dockerfile.read(Path.of("Dockerfile")).finalStage().env());
        env.putAll(environment(service(name)));
        OddityCommandLine command = commandLine(name);
        return DeploySettings.validated(command.configFile(), env, command.settingOverrides());
    }

    /** The mounts of service {@code name}: source (a named volume or ./path) by target. */
    private static Map<String, String> mounts(String name) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (String volume : strings(service(name).path("volumes"))) {
            String[] parts = volume.split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    /** The named volume of service {@code name} mounted on a directory holding {@code path}. */
    private static Optional<String> volumeHolding(String name, Path path) {
        return mounts(name).entrySet().stream().filter(e -> path.startsWith(Path.of(e.getKey())))
                .filter(e -> !e.getValue().startsWith(".")).map(Map.Entry::getValue).findFirst();
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isArray()) {
            for (String pair : strings(node)) {
                int eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        } else {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** Kafka listeners NAME://host:port by name. */
    private static Map<String, String> listeners(String spec) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : spec.split(",")) {
            String[] parts = listener.split("://");
            listeners.put(parts[0], parts[1]);
        }
        return listeners;
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private static List<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText().trim().split("\\s+"));
        }
        List<String> strings = new ArrayList<>();
        node.forEach(n -> strings.add(n.asText()));
        return strings;
    }
}
