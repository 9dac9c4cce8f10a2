package org.oddity.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in nanoseconds, recorded by any number of threads and read as percentiles of one
 * interval at a time, and as counts since the start for Prometheus histograms.
 *
 * <p>Writers go through an HdrHistogram {@link Recorder}: recording is wait-free and
 * allocation-free (a few atomic increments), safe from every stream thread at once, and never
 * blocks on a reader. A reader swaps the recorder's interval histogram out when the interval
 * has run, so every percentile read in one scrape describes the same events, and two scrapers
 * do not split an interval between them.
 */
public final class LatencyHistogram {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder;
    private final long highestNanos;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private Histogram interval;
    /** Every interval swapped out so far, added up. */
    private final Histogram total;
    private long swappedAt;

    /**
     * @param highest  largest latency kept apart; a longer one is recorded as this
     * @param interval shortest time between two swaps
     * @param nanoTime monotonic clock of the swaps, {@code System::nanoTime} outside tests
     */
    public LatencyHistogram(Duration highest, Duration interval, LongSupplier nanoTime) {
        this.highestNanos = highest.toNanos();
        this.recorder = new Recorder(1, highestNanos, SIGNIFICANT_DIGITS);
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.interval = recorder.getIntervalHistogram();
        this.total = new Histogram(1, highestNanos, SIGNIFICANT_DIGITS);
        this.swappedAt = nanoTime.getAsLong();
    }

    /** Records one latency; a negative one (clocks apart) counts as 0. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, highestNanos)));
    }

    /**
     * Latency at {@code percentile} (0..100) of the current interval, in microseconds; NaN if
     * the interval recorded nothing.
     */
    public synchronized double percentileMicros(double percentile) {
        refresh();
        return interval.getTotalCount() == 0 ? Double.NaN : interval.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Largest latency of the current interval, in microseconds; NaN if it recorded nothing. */
    public synchronized double maxMicros() {
        refresh();
        return interval.getTotalCount() == 0 ? Double.NaN : interval.getMaxValue() / 1000.0;
    }

    /** Latencies recorded up to the end of the current interval. */
    public synchronized long recorded() {
        refresh();
        return total.getTotalCount();
    }

    /**
     * The latencies recorded up to the end of the current interval, as a Prometheus histogram
     * needs them: how many are at most each of {@code upperBoundsNanos} (ascending), how many in
     * all, and their sum. Values are kept to 3 significant digits, so a latency within 0.1% of a
     * bound may fall on either side of it, and the sum is good to 0.1%.
     */
    public synchronized Cumulative cumulative(long[] upperBoundsNanos) {
        refresh();
        long[] atMost = new long[upperBoundsNanos.length];
        for (int i = 0; i < atMost.length; i++) {
            atMost[i] = total.getCountBetweenValues(0, upperBoundsNanos[i]);
        }
        return new Cumulative(atMost, total.getTotalCount(), total.getMean() * total.getTotalCount());
    }

    /**
     * Latencies since the start, read at one moment.
     *
     * @param atMost   how many were at most each bound asked for
     * @param count    how many in all
     * @param sumNanos their sum, in nanoseconds
     */
    public record Cumulative(long[] atMost, long count, double sumNanos) {
    }

    private void refresh() {
        long now = nanoTime.getAsLong();
        if (now - swappedAt >= intervalNanos) {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            swappedAt = now;
        }
    }
}
