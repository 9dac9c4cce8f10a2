package org.oddity.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in nanoseconds, recorded by any number of threads and read as percentiles of one
 * interval at a time.
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
    private long swappedAt;
    private long recorded;

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
        return recorded;
    }

    private void refresh() {
        long now = nanoTime.getAsLong();
        if (now - swappedAt >= intervalNanos) {
            interval = recorder.getIntervalHistogram(interval);
            recorded += interval.getTotalCount();
            swappedAt = now;
        }
    }
}
