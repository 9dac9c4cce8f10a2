package org.oddity.config;

import java.time.Duration;

/**
 * Where the Prometheus endpoint listens, and how the latency histograms are kept.
 *
 * @param host               address the {@code /metrics} endpoint binds to
 * @param port               its port; 0 serves no endpoint
 * @param latencyInterval    how long one interval of the latency percentiles lasts at least: a
 *                           scrape after that swaps in the events recorded since the previous swap
 * @param latencySampleEvery scoring latency is timed on one event in this many, per task
 */
public record MetricsSettings(String host, int port, Duration latencyInterval, int latencySampleEvery) {

    /** Whether an endpoint is served at all. */
    public boolean enabled() {
        return port != 0;
    }
}
