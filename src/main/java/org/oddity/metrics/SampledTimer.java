package org.oddity.metrics;

/**
 * Times one event in every {@code every} into a {@link LatencyHistogram}. One per stream task:
 * it counts events without synchronization, so a single thread at a time may use it.
 */
public final class SampledTimer {

    /** What {@link #start()} returns for an event that is not timed. */
    private static final long NOT_TIMED = Long.MIN_VALUE;

    private final LatencyHistogram histogram;
    private final int every;
    private int untilNext;

    /** A timer of one event in {@code every} (1 times them all), the first at the {@code every}-th. */
    public SampledTimer(LatencyHistogram histogram, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1: " + every);
        }
        this.histogram = histogram;
        this.every = every;
        this.untilNext = every;
    }

    /** Marks the start of one event's work: the clock reading to hand to {@link #stop}, if this event is timed. */
    public long start() {
        if (--untilNext != 0) {
            return NOT_TIMED;
        }
        untilNext = every;
        return System.nanoTime();
    }

    /** Records the time since {@code started} if {@link #start()} timed this event. */
    public void stop(long started) {
        if (started != NOT_TIMED) {
            histogram.record(System.nanoTime() - started);
        }
    }
}
