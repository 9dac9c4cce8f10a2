package org.oddity.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.oddity.config.MetricsSettings;

/**
 * The latency histograms of the scoring path, shared by every stream task of an instance:
 * scoring alone (extract, score, calibrate) on one event in {@link #sampleEvery()}, and event
 * timestamp to flag on every flagged event.
 */
public final class ScoringLatencies {

    /** Scoring takes microseconds; anything past this is a stall, and its exact length no longer matters. */
    private static final Duration LONGEST_SCORING = Duration.ofSeconds(10);
    /** Replayed data can be days old; one day keeps the histogram small and live latencies exact. */
    private static final Duration LONGEST_FLAG = Duration.ofDays(1);

    private final LatencyHistogram scoring;
    private final LatencyHistogram flag;
    private final int sampleEvery;

    /**
     * @param interval    shortest time between two swaps of the percentiles' interval
     * @param sampleEvery scoring is timed on one event in this many, per task
     * @param nanoTime    monotonic clock of the swaps
     */
    public ScoringLatencies(Duration interval, int sampleEvery, LongSupplier nanoTime) {
        this.scoring = new LatencyHistogram(LONGEST_SCORING, interval, nanoTime);
        this.flag = new LatencyHistogram(LONGEST_FLAG, interval, nanoTime);
        this.sampleEvery = sampleEvery;
    }

    /** The histograms {@code settings} ask for, swapped on the JVM's monotonic clock. */
    public static ScoringLatencies of(MetricsSettings settings) {
        return new ScoringLatencies(settings.latencyInterval(), settings.latencySampleEvery(), System::nanoTime);
    }

    /** Time to place, extract, score and calibrate one event, and rank a flagged event's top features. */
    public LatencyHistogram scoring() {
        return scoring;
    }

    /** Event timestamp to flag produced (wall clock), for flagged events. */
    public LatencyHistogram flag() {
        return flag;
    }

    /** Scoring is timed on one event in this many, per task. */
    public int sampleEvery() {
        return sampleEvery;
    }

    /** A timer of scoring for one stream task, timing one event in {@link #sampleEvery()}. */
    public SampledTimer newScoringTimer() {
        return new SampledTimer(scoring, sampleEvery);
    }
}
