package org.oddity.config;

import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.matching;

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

    /** Keys {@code metrics.*}. */
    static MetricsSettings from(SettingsSource source) {
        return new MetricsSettings(
                matching(source, "metrics.host", "[A-Za-z0-9.\\-:]{1,253}",
                        "expected a host name or IP address, e.g. 127.0.0.1, or 0.0.0.0 for every interface"),
                intIn(source, "metrics.port", 0, 65_535),
                Durations.parse("metrics.latency.interval", source.get("metrics.latency.interval")),
                intIn(source, "metrics.latency.sample-every", 1, 1_000_000));
    }

    /** Whether an endpoint is served at all. */
    public boolean enabled() {
        return port != 0;
    }
}
