package org.oddity.calibrate;

import java.util.Arrays;

/**
 * The most recent calibration scores of one (model version, cell), bounded in count and
 * optionally in event time: a ring buffer of (score, event time) pairs, in arrival order.
 *
 * <p>Recency, not a uniform sample of all history, is the point: the calibration follows the
 * detector as it is now. Exchangeability then holds between an event and the calibration events
 * recorded around it. Not thread-safe; each stream task owns its reservoirs.
 */
public final class ScoreReservoir {

    private static final long[] NOTHING_ADDED = new long[0];

    private final double[] scores;
    private final long[] eventNanos;
    private final long windowNanos;
    private int head;
    private int size;
    private long newestNanos = Long.MIN_VALUE;
    private boolean changed;
    /** Scores added since {@link #drainAdded} last ran, at most the capacity. */
    private int addedSinceDrain;

    /**
     * @param capacity    most scores kept
     * @param windowNanos event-time span kept behind the newest event; 0 for no limit
     */
    public ScoreReservoir(int capacity, long windowNanos) {
        if (capacity <= 0 || windowNanos < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " and window " + windowNanos
                    + " ns must be positive");
        }
        this.scores = new double[capacity];
        this.eventNanos = new long[capacity];
        this.windowNanos = windowNanos;
    }

    /** Adds the score of an event at {@code nanos}, replacing the oldest when full. */
    public void add(double score, long nanos) {
        int slot = (head + size) % scores.length;
        scores[slot] = score;
        eventNanos[slot] = nanos;
        if (size < scores.length) {
            size++;
        } else {
            head = (head + 1) % scores.length;
        }
        newestNanos = Math.max(newestNanos, nanos);
        changed = true;
        addedSinceDrain = Math.min(addedSinceDrain + 1, scores.length);
    }

    /** Capacity: the most scores held. */
    public int capacity() {
        return scores.length;
    }

    /**
     * The scores added since the last call that are still held, oldest first, as pairs of longs
     * (the score's bits, then its event time). Adding them in order to a reservoir that held what
     * this one held at the last call gives this one's scores back: a task stores its reservoirs
     * this way at each commit and restores them when it starts again.
     */
    public long[] drainAdded() {
        int n = Math.min(addedSinceDrain, size);
        if (n == 0) {
            // Called for every reservoir at every commit: most have taken nothing, and need not allocate.
            return NOTHING_ADDED;
        }
        long[] pairs = new long[2 * n];
        for (int i = 0; i < n; i++) {
            int slot = (head + size - n + i) % scores.length;
            pairs[2 * i] = Double.doubleToRawLongBits(scores[slot]);
            pairs[2 * i + 1] = eventNanos[slot];
        }
        addedSinceDrain = 0;
        return pairs;
    }

    /** Drops the scores older than the window behind the newest event; arrival order approximates time order. */
    public void expire() {
        if (windowNanos == 0) {
            return;
        }
        long cutoff = newestNanos - windowNanos;
        while (size > 0 && eventNanos[head] < cutoff) {
            head = (head + 1) % scores.length;
            size--;
            changed = true;
        }
    }

    /** Number of scores held. */
    public int size() {
        return size;
    }

    /** Whether scores were added or dropped since the last {@link #sortedScores}. */
    public boolean changed() {
        return changed;
    }

    /** The scores held, sorted ascending, in a new array; clears {@link #changed}. */
    public double[] sortedScores() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = scores[(head + i) % scores.length];
        }
        Arrays.sort(out);
        changed = false;
        return out;
    }

    /** Event time of the oldest score held, or {@link Long#MIN_VALUE} when empty. */
    public long oldestNanos() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            oldest = Math.min(oldest, eventNanos[(head + i) % scores.length]);
        }
        return size == 0 ? Long.MIN_VALUE : oldest;
    }

    /** Event time of the newest score ever added, or {@link Long#MIN_VALUE} before the first. */
    public long newestNanos() {
        return newestNanos;
    }
}
