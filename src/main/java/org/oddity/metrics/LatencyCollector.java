package org.oddity.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The scoring path's latencies as Prometheus histograms in seconds, read from the
 * {@link LatencyHistogram}s at each scrape: counts since the start per bucket, so that rates and
 * quantiles can be taken over any range and summed over instances. The scoring path records
 * once, into HdrHistogram; nothing here runs per event. Each histogram has a gauge beside it,
 * {@code <name>_max}, the longest latency of the last interval, as Micrometer's timers have.
 */
public final class LatencyCollector implements MultiCollector {

    /** Scoring one event takes microseconds: buckets from 1 us to 10 ms, then stalls. */
    private static final double[] SCORING_BOUNDS = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3,
        1e-2, 0.1, 1};
    /** Event time to flag spans a commit interval and the DAQ's own delay: 1 ms to a minute. */
    private static final double[] FLAG_BOUNDS = {1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5,
        10, 30, 60};

    private final ScoringLatencies latencies;
    private final Labels labels;

    /** Exposes {@code latencies} with {@code labels} (the registry's common tags) on every series. */
    public LatencyCollector(ScoringLatencies latencies, Labels labels) {
        this.latencies = latencies;
        this.labels = labels;
    }

    @Override
    public MetricSnapshots collect() {
        return MetricSnapshots.of(
                histogram("oddity_scoring_latency_seconds", "time to place, extract, score and calibrate one event,"
                        + " and rank a flagged event's top features; one event in " + latencies.sampleEvery()
                        + " per task is timed", latencies.scoring(), SCORING_BOUNDS),
                max("oddity_scoring_latency_seconds_max", "longest scoring latency of the last interval",
                        latencies.scoring()),
                histogram("oddity_flag_latency_seconds", "event timestamp to flag produced, by the wall clock",
                        latencies.flag(), FLAG_BOUNDS),
                max("oddity_flag_latency_seconds_max", "longest flag latency of the last interval", latencies.flag()));
    }

    private HistogramSnapshot histogram(String name, String help, LatencyHistogram histogram, double[] bounds) {
        long[] boundsNanos = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            boundsNanos[i] = Math.round(bounds[i] * 1e9);
        }
        LatencyHistogram.Cumulative cumulative = histogram.cumulative(boundsNanos);
        long[] atMost = cumulative.atMost();
        // Prometheus' model takes the count of each bucket alone; the exposition adds them up again.
        double[] upper = new double[bounds.length + 1];
        long[] counts = new long[bounds.length + 1];
        long below = 0;
        for (int i = 0; i < bounds.length; i++) {
            upper[i] = bounds[i];
            counts[i] = atMost[i] - below;
            below = atMost[i];
        }
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        counts[bounds.length] = cumulative.count() - below;
        return HistogramSnapshot.builder()
                .name(name)
                .help(help)
                .unit(Unit.SECONDS)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                        .sum(cumulative.sumNanos() / 1e9)
                        .labels(labels)
                        .build())
                .build();
    }

    private GaugeSnapshot max(String name, String help, LatencyHistogram histogram) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(histogram.maxMicros() / 1e6)
                        .labels(labels)
                        .build())
                .build();
    }
}
