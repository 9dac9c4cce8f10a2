package org.oddity.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.metrics.LatencyHistogram;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.monitor.AlertKind;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.topology.OperationalAlerts;

/**
 * The live dashboard at {@code /} of an instance's HTTP port: a page that polls
 * {@code /api/dashboard} every two seconds and draws, with uPlot (served from its WebJar, so no
 * internet is needed), the anomaly rate per cell and working point over the recent windows
 * against alpha and its binomial band, the p-value histogram, open and recent alerts, the
 * latest flagged events, and this instance's rate, consumer lag, latencies, model and
 * calibration. The windows, alerts and flags come from the {@link DashboardState} the
 * {@link DashboardFeed} fills from the output topics; the rest is this instance's own.
 *
 * <p>Also registers {@code oddity_alerts_open{kind}}: the alerts open now, as read from the
 * alerts topic, so the same on every instance (aggregate with {@code max}, not {@code sum}).
 */
public final class Dashboard {

    /** Path of the data the page polls. */
    public static final String API = "/api/dashboard";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    private final DashboardState state;
    private final CellCounters counters;
    private final ActiveModel active;
    private final ScoringLatencies latencies;
    private final MeterRegistry registry;
    private final InstanceHealth health;
    private final Map<String, String> identity;

    private Dashboard(DashboardState state, CellCounters counters, ActiveModel active, ScoringLatencies latencies,
            MeterRegistry registry, InstanceHealth health, Map<String, String> identity) {
        this.state = state;
        this.counters = counters;
        this.active = active;
        this.latencies = latencies;
        this.registry = registry;
        this.health = health;
        this.identity = identity;
    }

    /**
     * Serves the dashboard of this instance on {@code endpoint}, with {@code state}'s view of the
     * outputs, and registers the open-alert gauges in {@code registry}.
     *
     * @param identity what names the instance on the page, e.g. the application and instance id
     */
    public static void serve(HttpEndpoint endpoint, DashboardState state, CellCounters counters, ActiveModel active,
            ScoringLatencies latencies, MeterRegistry registry, InstanceHealth health, Map<String, String> identity) {
        Dashboard dashboard = new Dashboard(state, counters, active, latencies, registry, health, identity);
        List<String> kinds = new ArrayList<>();
        for (AlertKind kind : AlertKind.values()) {
            kinds.add(kind.name());
        }
        kinds.addAll(OperationalAlerts.KINDS);
        for (String kind : kinds) {
            Gauge.builder("oddity.alerts.open", state, s -> s.openAlerts(kind))
                    .description("alerts open now, as read from the alerts topic (the same on every instance)")
                    .tag("kind", kind)
                    .register(registry);
        }
        endpoint.route("/", exchange -> page("index.html", "text/html; charset=utf-8"));
        endpoint.route("/dashboard.js", exchange -> page("dashboard.js", "text/javascript; charset=utf-8"));
        endpoint.route("/dashboard.css", exchange -> page("dashboard.css", "text/css; charset=utf-8"));
        endpoint.route("/lib/uPlot.iife.min.js", exchange -> resource(UPLOT + "uPlot.iife.min.js",
                "text/javascript; charset=utf-8"));
        endpoint.route("/lib/uPlot.min.css", exchange -> resource(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));
        endpoint.route(API, exchange -> HttpEndpoint.Response.json(200, dashboard.data()));
    }

    private static HttpEndpoint.Response page(String name, String contentType) {
        return resource("/dashboard/" + name, contentType);
    }

    private static HttpEndpoint.Response resource(String path, String contentType) {
        try (InputStream in = Dashboard.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            return new HttpEndpoint.Response(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Everything the page draws, as plain maps for JSON. */
    Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("instance", instance());
        data.put("workingPoints", workingPoints(active.current().workingPoints()));
        data.putAll(state.snapshot());
        return data;
    }

    private Map<String, Object> instance() {
        ScoringModel model = active.current();
        Map<String, Object> instance = new LinkedHashMap<>(identity);
        String notReady = health.notReadyBecause();
        instance.put("ready", notReady == null);
        instance.put("notReadyBecause", notReady);
        instance.put("eventsScored", counters.totalEvents());
        instance.put("eventsFlagged", counters.totalFlagged());
        instance.put("deadLetters", counters.totalDeadLetters());
        instance.put("consumerLag", registry.find("kafka.consumer.fetch.manager.records.lag.max").gauges().stream()
                .mapToDouble(Gauge::value).filter(Double::isFinite).max().orElse(0));
        instance.put("scoringLatencyMicros", percentiles(latencies.scoring()));
        instance.put("flagLatencyMicros", percentiles(latencies.flag()));
        instance.put("model", Map.of("name", model.bundle().manifest().name(), "version", model.bundle().version()));
        instance.put("pendingModel", active.pending() == null ? null : active.pending().version());
        instance.put("calibration", calibration(model));
        return instance;
    }

    private static Map<String, Object> percentiles(LatencyHistogram histogram) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("p50", finite(histogram.percentileMicros(50)));
        view.put("p99", finite(histogram.percentileMicros(99)));
        view.put("p999", finite(histogram.percentileMicros(99.9)));
        view.put("max", finite(histogram.maxMicros()));
        return view;
    }

    private static List<Map<String, Object>> calibration(ScoringModel model) {
        CellScheme cells = model.cells();
        WorkingPoints points = model.workingPoints();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            for (int k = 0; k < points.size(); k++) {
                ResolvedCell resolved = model.table().cellFor(c, k);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cell", resolved.requested());
                row.put("workingPoint", points.loosestFirst().get(k).name());
                row.put("used", resolved.used());
                row.put("size", resolved.set().size());
                row.put("source", resolved.source());
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> workingPoints(WorkingPoints points) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            out.add(Map.of("name", points.loosestFirst().get(k).name(), "alpha", points.alpha(k)));
        }
        return out;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
