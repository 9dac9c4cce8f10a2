package org.oddity.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP port of one instance, on the JDK's own HTTP server: {@code GET /metrics}, a scrape
 * of the Prometheus registry in the Prometheus text format; {@code GET /health}, liveness, 503
 * once the instance cannot recover by itself; {@code GET /ready}, readiness, 503 with the reason
 * until it scores; and the routes added with {@link #route}. Any other path is 404, any other
 * method than GET or HEAD 405.
 */
public final class HttpEndpoint implements AutoCloseable {

    /** Path of the scrape endpoint. */
    public static final String METRICS = "/metrics";
    /** Path of the liveness check. */
    public static final String HEALTH = "/health";
    /** Path of the readiness check. */
    public static final String READY = "/ready";
    /** Content type of the Prometheus text exposition format, version 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** What a route answers: status, content type and body. */
    public record Response(int status, String contentType, byte[] body) {

        /** A 200 of {@code body} as UTF-8 text of {@code contentType}. */
        public static Response ok(String contentType, String body) {
            return new Response(200, contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code value} as JSON with {@code status}. */
        public static Response json(int status, Object value) {
            try {
                return new Response(status, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalArgumentException("not serializable as JSON: " + value, e);
            }
        }
    }

    /** Answers GET and HEAD on one path. */
    @FunctionalInterface
    public interface Route {
        /** The response to {@code exchange}'s request. */
        Response answer(HttpExchange exchange) throws IOException;
    }

    /**
     * Listens on {@code host}:{@code port} (0 picks a free port), serving {@code registry} and
     * {@code health}.
     *
     * @throws UnknownHostException if {@code host} does not resolve
     * @throws IOException          if the address cannot be bound, e.g. the port is taken
     */
    public static HttpEndpoint start(String host, int port, PrometheusMeterRegistry registry, InstanceHealth health)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        HttpServer server = HttpServer.create(address, 0);
        // Two threads: scrapes, probes and the dashboard's polls are short, and few at a time keeps them off the
        // stream threads' cores; two, so that a slow scrape does not fail a liveness probe.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "oddity-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        HttpEndpoint endpoint = new HttpEndpoint(server, executor);
        endpoint.route(METRICS, exchange -> Response.ok(PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT)));
        endpoint.route(HEALTH, exchange -> health.alive()
                ? Response.json(200, Map.of("status", "UP"))
                : Response.json(503, Map.of("status", "DOWN", "reason", health.notReadyBecause())));
        endpoint.route(READY, exchange -> {
            String reason = health.notReadyBecause();
            return reason == null ? Response.json(200, Map.of("ready", true))
                    : Response.json(503, Map.of("ready", false, "reason", reason));
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                respond(exchange, endpoint.routes.get(exchange.getRequestURI().getPath()));
            }
        });
        server.start();
        return endpoint;
    }

    /** Serves {@code route} at {@code path} from now on. */
    public void route(String path, Route route) {
        routes.put(path, route);
    }

    private static void respond(HttpExchange exchange, Route route) throws IOException {
        if (route == null) {
            send(exchange, new Response(404, "text/plain; charset=utf-8", ("not found; metrics are at " + METRICS
                    + "\n").getBytes(StandardCharsets.UTF_8)));
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, new Response(405, "text/plain; charset=utf-8",
                    "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        send(exchange, route.answer(exchange));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /** The port listened on: the one asked for, or the one picked for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Address of {@code path} on this endpoint. */
    public URI url(String path) {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
