package org.oddity.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.MetricsSettings;
import org.oddity.config.OdditySettings;
import org.oddity.metrics.OddityMetrics;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.StreamsProperties;
import org.oddity.topology.Topics;
import org.oddity.web.Dashboard;
import org.oddity.web.DashboardFeed;
import org.oddity.web.DashboardState;
import org.oddity.web.HttpEndpoint;

/**
 * The metrics and HTTP port of one scoring instance for as long as it runs: the registry with
 * every meter (oddity's own, the JVM's and the process's, each tagged with the application and
 * the instance), the latency histograms the scoring path records into, and, unless
 * {@code metrics.port} is 0, {@code /metrics}, {@code /health}, {@code /ready} and the live
 * dashboard at {@code /} with the feed that reads the output topics for it.
 */
final class InstanceMetrics implements AutoCloseable {

    /** The windows the dashboard draws: 60 lumisections, about 23 minutes of beam. */
    private static final int DASHBOARD_WINDOWS = 60;
    /** The latest alerts and flagged events it lists. */
    private static final int DASHBOARD_LATEST = 20;

    private final PrometheusMeterRegistry registry;
    private final ScoringLatencies latencies;
    private final ScoringHealth health;
    private final JvmGcMetrics gc;
    private final HttpEndpoint endpoint;
    private final DashboardFeed feed;

    private InstanceMetrics(PrometheusMeterRegistry registry, ScoringLatencies latencies, ScoringHealth health,
            JvmGcMetrics gc, HttpEndpoint endpoint, DashboardFeed feed) {
        this.registry = registry;
        this.latencies = latencies;
        this.health = health;
        this.gc = gc;
        this.endpoint = endpoint;
        this.feed = feed;
    }

    /**
     * Registers the meters of {@code counters}, {@code active}, the JVM and the process, serves
     * them and the dashboard of {@code topics} as {@code settings} say, and prints the addresses
     * to {@code out}.
     *
     * @throws InvalidSettingException naming metrics.host or metrics.port if the endpoint cannot listen there
     */
    static InstanceMetrics start(OdditySettings settings, Topics topics, CellCounters counters, ActiveModel active,
            PrintStream out) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScoringLatencies latencies = ScoringLatencies.of(settings.metrics());
        String instanceId = StreamsProperties.instanceId(settings);
        OddityMetrics.register(registry, Tags.of("application", settings.streams().applicationId(), "instance_id",
                instanceId), counters, active, latencies);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        ScoringHealth health = new ScoringHealth();
        Gauge.builder("oddity.ready", health, h -> h.notReadyBecause() == null ? 1 : 0)
                .description("1 while the instance scores: Kafka Streams running, with a calibrated model")
                .register(registry);
        MetricsSettings metrics = settings.metrics();
        if (!metrics.enabled()) {
            return new InstanceMetrics(registry, latencies, health, gc, null, null);
        }
        try {
            HttpEndpoint endpoint = HttpEndpoint.start(metrics.host(), metrics.port(), registry, health);
            DashboardState state = new DashboardState(DASHBOARD_WINDOWS, DASHBOARD_LATEST);
            Dashboard.serve(endpoint, state, counters, active, latencies, registry, health, Map.of("application",
                    settings.streams().applicationId(), "instanceId", instanceId));
            DashboardFeed feed = DashboardFeed.start(KafkaClientSettings.of(settings.kafka()), topics, state,
                    Clock.systemUTC());
            out.println("metrics on " + endpoint.url(HttpEndpoint.METRICS));
            out.println("dashboard on " + endpoint.url("/"));
            return new InstanceMetrics(registry, latencies, health, gc, endpoint, feed);
        } catch (UnknownHostException e) {
            gc.close();
            registry.close();
            throw new InvalidSettingException("metrics.host", metrics.host(), "no such host");
        } catch (IOException e) {
            gc.close();
            registry.close();
            throw new InvalidSettingException("metrics.port", Integer.toString(metrics.port()), "cannot listen on "
                    + metrics.host() + ":" + metrics.port() + " (" + e.getMessage() + "); pick another port, or 0"
                    + " for no endpoint");
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    ScoringLatencies latencies() {
        return latencies;
    }

    /** Reports {@code app}'s health on /health, /ready and the ready gauge from now on. */
    void watch(ScoringApplication app) {
        health.watch(app);
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
            feed.close();
        }
        gc.close();
        registry.close();
    }
}
