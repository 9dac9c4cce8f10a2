package org.oddity.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oddity.fixtures.Scrape;

/**
 * {@link HttpEndpoint} on an ephemeral port of 127.0.0.1: the scrape at /metrics, liveness and
 * readiness as the instance's health says, added routes, and nothing anywhere else.
 */
class HttpEndpointTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final AtomicReference<String> notReady = new AtomicReference<>("starting");
    private final InstanceHealth health = new InstanceHealth() {
        @Override
        public boolean alive() {
            return alive.get();
        }

        @Override
        public String notReadyBecause() {
            return notReady.get();
        }
    };
    private HttpEndpoint server;

    @BeforeEach
    void start() throws IOException {
        Counter.builder("oddity.test.requests").tag("kind", "probe").register(registry).increment(3);
        server = HttpEndpoint.start("127.0.0.1", 0, registry, health);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheScrapeInThePrometheusTextFormat() throws Exception {
        assertTrue(server.port() > 0);
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/metrics"), server.url(HttpEndpoint.METRICS));
        HttpResponse<String> response = send("GET", "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("# TYPE oddity_test_requests_total counter\n"), response.body());
        assertEquals(3, Scrape.value(response.body(), "oddity_test_requests_total{kind=\"probe\"}"));

        registry.counter("oddity.test.requests", "kind", "probe").increment();
        assertEquals(4, Scrape.value(send("GET", "/metrics").body(), "oddity_test_requests_total{kind=\"probe\"}"),
                "every scrape reads the meters afresh");
        HttpResponse<String> head = send("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void healthAndReadinessFollowTheInstance() throws Exception {
        HttpResponse<String> health = send("GET", "/health");
        assertEquals(200, health.statusCode());
        assertEquals("application/json", health.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"status\":\"UP\"}", health.body());
        HttpResponse<String> starting = send("GET", "/ready");
        assertEquals(503, starting.statusCode());
        assertTrue(starting.body().contains("\"reason\":\"starting\""), starting.body());

        notReady.set(null);
        assertEquals(200, send("GET", "/ready").statusCode());
        assertEquals("{\"ready\":true}", send("GET", "/ready").body());

        alive.set(false);
        notReady.set("Kafka Streams is ERROR \"for good\"");
        HttpResponse<String> down = send("GET", "/health");
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("\"reason\":\"Kafka Streams is ERROR \\\"for good\\\"\""), down.body());
        assertEquals(503, send("GET", "/ready").statusCode());
    }

    @Test
    void addedRoutesAnswerGet() throws Exception {
        server.route("/api/hello", exchange -> HttpEndpoint.Response.json(200, Map.of("hello", "world")));
        HttpResponse<String> hello = send("GET", "/api/hello");
        assertEquals(200, hello.statusCode());
        assertEquals("{\"hello\":\"world\"}", hello.body());
        assertEquals(405, send("POST", "/api/hello").statusCode());
    }

    @Test
    void otherPathsAreNotFoundAndOtherMethodsNotAllowed() throws Exception {
        assertEquals(404, send("GET", "/").statusCode());
        assertEquals(404, send("GET", "/metrics/extra").statusCode());
        assertEquals(404, send("GET", "/api").statusCode());
        HttpResponse<String> post = send("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void aTakenPortIsRefused() {
        assertThrows(IOException.class, () -> HttpEndpoint.start("127.0.0.1", server.port(), registry, health)
                .close());
    }
}
