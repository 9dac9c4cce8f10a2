package org.oddity.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.MetricsSettings;
import org.oddity.metrics.OddityMetrics;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.web.MetricsServer;

/**
 * The metrics of one scoring instance for as long as it runs: the registry with every meter,
 * the latency histograms the scoring path records into, and the {@code /metrics} endpoint
 * unless {@code metrics.port} is 0.
 */
final class InstanceMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final ScoringLatencies latencies;
    private final MetricsServer server;

    private InstanceMetrics(PrometheusMeterRegistry registry, ScoringLatencies latencies, MetricsServer server) {
        this.registry = registry;
        this.latencies = latencies;
        this.server = server;
    }

    /**
     * Registers the meters of {@code counters} and {@code active}, serves them as {@code settings}
     * say, and prints the endpoint's address to {@code out}.
     *
     * @throws InvalidSettingException naming metrics.host or metrics.port if the endpoint cannot listen there
     */
    static InstanceMetrics start(MetricsSettings settings, CellCounters counters, ActiveModel active,
            PrintStream out) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScoringLatencies latencies = ScoringLatencies.of(settings);
        OddityMetrics.register(registry, counters, active, latencies);
        if (!settings.enabled()) {
            return new InstanceMetrics(registry, latencies, null);
        }
        try {
            MetricsServer server = MetricsServer.start(settings.host(), settings.port(), registry);
            out.println("metrics on " + server.url());
            return new InstanceMetrics(registry, latencies, server);
        } catch (UnknownHostException e) {
            registry.close();
            throw new InvalidSettingException("metrics.host", settings.host(), "no such host");
        } catch (IOException e) {
            registry.close();
            throw new InvalidSettingException("metrics.port", Integer.toString(settings.port()), "cannot listen on "
                    + settings.host() + ":" + settings.port() + " (" + e.getMessage() + "); pick another port, or 0"
                    + " for no endpoint");
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    ScoringLatencies latencies() {
        return latencies;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }
}
