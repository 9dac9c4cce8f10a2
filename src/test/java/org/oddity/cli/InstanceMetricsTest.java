package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.Scrape;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.KafkaFixture;
import org.oddity.topology.Topics;

/**
 * {@link InstanceMetrics}, as {@code oddity run} and {@code oddity demo} start it: the endpoint
 * on the configured port with its address printed, oddity's, the JVM's and the process's meters
 * tagged with the application and instance, not ready until a scoring application runs; none
 * on port 0, and a taken port refused with one line naming metrics.port. On a real broker, for
 * the dashboard's feed of the output topics.
 */
@Tag("broker")
class InstanceMetricsTest {

    private static final Topics TOPICS = Topics.withPrefix("instance-metrics-test.");

    private final OdditySettings settings = TrainedBundle.defaultSettings();
    private final ScoringModel model = TrainedBundle.model(settings);
    private final CellCounters counters = new CellCounters(settings.calibration().cells(),
            settings.calibration().workingPoints().size());
    private final ActiveModel active = new ActiveModel(model, counters, 0);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static OdditySettings on(int port) {
        return OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of("bootstrap.servers",
                KafkaFixture.shared().bootstrapServers(), "metrics.host", "127.0.0.1",
                "metrics.port", Integer.toString(port), "metrics.latency.sample-every", "1", "application.id",
                "oddity-test", "streams.instance-id", "node-1")));
    }

    @Test
    void servesTheInstancesMetricsAndPrintsTheAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/metrics");
        HttpClient client = HttpClient.newHttpClient();
        try (InstanceMetrics metrics = InstanceMetrics.start(on(port), TOPICS, counters, active, out)) {
            assertEquals("metrics on " + url + System.lineSeparator() + "dashboard on " + url.resolve("/")
                    + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
            counters.scored(0, 1, false);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String common = "application=\"oddity-test\",";
            String instance = "instance_id=\"node-1\"";
            assertEquals(1, Scrape.value(response.body(), "oddity_model_info{" + common + instance
                    + ",name=\"test-hbos\",version=\"" + model.bundle().version() + "\"}"));
            assertEquals(1, Scrape.value(response.body(), "oddity_events_scored_total{" + common + "cell=\""
                    + settings.calibration().cells().cellName(0, 0) + "\"," + instance + "}"));
            assertEquals(0, Scrape.value(response.body(), "oddity_ready{" + common + instance + "}"));
            assertTrue(Scrape.value(response.body(), "process_uptime_seconds{" + common + instance + "}") > 0);
            assertTrue(response.body().contains("jvm_memory_used_bytes{"), "JVM meters bound");
            assertEquals(1, metrics.latencies().sampleEvery());
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(url.resolve("/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), "no scoring application yet");
            assertEquals(200, client.send(HttpRequest.newBuilder(url.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString()), "closed with the instance");
    }

    @Test
    void portZeroServesNothing() {
        try (InstanceMetrics metrics = InstanceMetrics.start(on(0), TOPICS, counters, active, out)) {
            assertEquals("", printed.toString(StandardCharsets.UTF_8));
            assertFalse(metrics.registry().getMeters().isEmpty(), "the meters are registered all the same");
        }
    }

    @Test
    void aTakenPortIsRefusedNamingTheSetting() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> InstanceMetrics.start(on(taken.getLocalPort()), TOPICS, counters, active, out).close());
            assertEquals("metrics.port", e.key());
            assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
            assertEquals("invalid setting metrics.port='" + taken.getLocalPort() + "': cannot listen on 127.0.0.1:"
                    + taken.getLocalPort(), e.getMessage().substring(0, e.getMessage().indexOf(" (")));
        }
    }
}
