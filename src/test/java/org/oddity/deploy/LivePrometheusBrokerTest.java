package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.cli.Oddity;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.sim.BadEventInjector;
import org.oddity.testing.KafkaFixture;
import org.oddity.topology.AvroCodec;
import org.oddity.topology.Topics;

/**
 * The deployment's Prometheus side against a real instance: {@code oddity run} (a child process,
 * as deployed) scores events on a real broker, and its {@code /metrics} serves every series the
 * rules and the Grafana dashboard read ({@link MetricCatalogue#SERVED}, which the static checks
 * hold the files to); then Debian's Prometheus scrapes it with {@code deploy/prometheus}'s
 * rules, evaluates every rule without an error, and the recorded anomaly rate returns data.
 */
@Tag("broker")
class LivePrometheusBrokerTest {

    private static final int EVENTS = 20_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Process oddity;
    private static int metricsPort;
    private static Topics topics;

    @BeforeAll
    static void scoreEvents() throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        topics = Topics.withPrefix("live-prometheus-" + System.nanoTime() + ".");
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        publish(41, 0);
        metricsPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), Oddity.class.getName(), "run",
                "--status-every", "1s"));
        Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "model.bundle", TrainedBundle.directory().toString(),
                "application.id", "oddity-live-prometheus-" + System.nanoTime(),
                "topics.prefix", topics.events().name().replace("daq.events", ""),
                "work.dir", dir.resolve("work").toString(),
                "metrics.port", Integer.toString(metricsPort),
                "metrics.latency.interval", "1s")
                .forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        oddity = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile())
                .start();
        await(() -> scoredOrDead(scrape()) >= EVENTS, () -> "oddity run to score all " + EVENTS + " events; see "
                + dir.resolve("run.log"));
    }

    /** Publishes {@link #EVENTS} events of {@code seed}, a few of them bad, at {@code rate} per second (0: at once). */
    private static void publish(long seed, double rate) throws Exception {
        try (EventPublisher publisher = new EventPublisher(KafkaFixture.shared().clientSettings(),
                topics.events().name())) {
            publisher.publish(TrainedBundle.events(EVENTS, seed), rate, new BadEventInjector(
                    AvroCodec.of(CollisionEvent.class)::encode, 0.002, seed + 1), () -> false);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (oddity != null) {
            oddity.destroy();
            oddity.waitFor(60, TimeUnit.SECONDS);
            oddity.destroyForcibly();
        }
    }

    @Test
    void theInstanceServesEverySeriesTheRulesAndDashboardRead() {
        Set<String> served = new TreeSet<>();
        for (String line : scrape().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                served.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> missing = new TreeSet<>(MetricCatalogue.SERVED);
        missing.removeAll(served);
        assertEquals(Set.of(), missing, "series the rules or the dashboard read that a running instance does not"
                + " serve");
    }

    @Test
    void prometheusEvaluatesEveryRuleOnTheInstance() throws Exception {
        ExternalTool.assumeInstalled("prometheus");
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                  - %s
                scrape_configs:
                  - job_name: oddity
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(MetricCatalogue.RECORDING_RULES.toAbsolutePath(),
                Path.of("deploy/prometheus/alerts.rules.yml").toAbsolutePath(), metricsPort));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
            await(() -> !query(api, "up{job=\"oddity\"} == 1").isEmpty(), () -> "Prometheus to scrape oddity; see "
                    + dir.resolve("prometheus.log"));
            // Rates need counters that move while Prometheus watches: a second stream, paced over about 10 s.
            publish(43, 2_000);
            String rate = "cell_working_point:oddity_anomaly_rate:ratio10m";
            await(() -> !query(api, rate).isEmpty(), () -> rate + " to return data; see " + dir.resolve(
                    "prometheus.log"));
            JsonNode groups = get(api.resolve("rules")).path("data").path("groups");
            int rules = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    rules++;
                    assertEquals("ok", rule.path("health").asText(), rule.path("name").asText() + ": "
                            + rule.path("lastError").asText());
                }
            }
            assertTrue(rules >= MetricCatalogue.recorded().size(), "rules loaded: " + rules);
            assertEquals(1, query(api, "up{job=\"oddity\"}").get(0).path("value").get(1).asInt(), "target up");
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
            prometheus.destroyForcibly();
        }
    }

    private static List<JsonNode> query(URI api, String expression) {
        List<JsonNode> out = new ArrayList<>();
        get(api.resolve("query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)))
                .path("data").path("result").forEach(out::add);
        return out;
    }

    private static JsonNode get(URI uri) {
        try {
            return new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String scrape() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Events scored plus dead letters in a scrape, over every cell and stage. */
    private static double scoredOrDead(String scrape) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("oddity_events_scored_total{") || line.startsWith("oddity_dead_letters_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(200);
        }
    }
}
