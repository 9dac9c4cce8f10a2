package org.oddity.monitor;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * When a merged window is complete, and when a partial summary comes too late: the monitor's
 * completion policy, fed the wall-clock times at which summaries arrive. Not thread-safe.
 *
 * <p>Each task closes its windows in order and publishes all of a window's partials together, so
 * once a task has published a partial of window W, it has published everything it had before W.
 * A window is complete when every task heard from lately has published a later one (tasks
 * reading a backlog run far apart in event time), or after twice the idle-flush time without
 * any summary. For twice the idle-flush time after a stream's first summary no window is closed
 * early, so that every task can be heard from before its absence could close one; a task that
 * starts later than that (e.g. after a rebalance) may find its first partials late. A summary of
 * a window already tested arrives too late.
 */
public final class WindowCompletion {

    /**
     * A task silent for this many idle-flush times is taken to be gone (moved to another instance
     * under a new name, or its partition idle) and no longer holds windows open. A busy task can be
     * silent for seconds while its thread serves other tasks, so this is well above one flush.
     */
    private static final int PRODUCER_TIMEOUT_FLUSHES = 10;

    private final long idleFlushMillis;
    /** Per producing task: the start of the newest window it published, and when it was last heard from. */
    private final Map<String, long[]> producers = new HashMap<>();
    private long lastTested = Long.MIN_VALUE;
    private long lastSummaryMillis;
    /** When the first summary of the current stream was merged; 0 before it. */
    private long firstSummaryMillis;

    /** @param idleFlush the quiet time after which the tasks close their open windows */
    public WindowCompletion(Duration idleFlush) {
        this.idleFlushMillis = idleFlush.toMillis();
    }

    /** Notes that a summary arrived at {@code nowMillis}, whether or not it merges. */
    public void summaryArrived(long nowMillis) {
        lastSummaryMillis = nowMillis;
    }

    /** Whether a summary of window {@code windowStartNanos} is late: that window, or a later one, was tested. */
    public boolean late(long windowStartNanos) {
        return windowStartNanos <= lastTested;
    }

    /** Notes that window {@code windowStartNanos} is tested, e.g. as the monitor's state is restored. */
    public void tested(long windowStartNanos) {
        lastTested = windowStartNanos;
    }

    /**
     * Notes that {@code producers} published a partial of window {@code windowStartNanos}, merged
     * at {@code nowMillis}.
     *
     * @return the start before which every open window is complete: {@link Long#MIN_VALUE} for
     *         none, {@link Long#MAX_VALUE} for all
     */
    public long published(Collection<String> producers, long windowStartNanos, long nowMillis) {
        if (firstSummaryMillis == 0) {
            firstSummaryMillis = nowMillis;
        }
        for (String producer : producers) {
            long[] progress = this.producers.computeIfAbsent(producer, p -> new long[] {Long.MIN_VALUE, 0});
            progress[0] = Math.max(progress[0], windowStartNanos);
            progress[1] = nowMillis;
        }
        // Until every task has had time to publish its first partials, none can be known to be missing.
        if (nowMillis - firstSummaryMillis < 2 * idleFlushMillis) {
            return Long.MIN_VALUE;
        }
        long completeBefore = Long.MAX_VALUE;
        long heardWithin = PRODUCER_TIMEOUT_FLUSHES * idleFlushMillis;
        for (long[] progress : this.producers.values()) {
            if (nowMillis - progress[1] <= heardWithin) {
                completeBefore = Math.min(completeBefore, progress[0]);
            }
        }
        return completeBefore;
    }

    /**
     * Whether no summary has arrived for twice the tasks' idle time, so that every open window is
     * complete: the tasks close their last windows after one idle-flush time of quiet, and those
     * partials must arrive before the windows they belong to are tested.
     */
    public boolean quiet(long nowMillis) {
        return nowMillis - lastSummaryMillis >= 2 * idleFlushMillis;
    }

    /** Forgets the stream's tasks once its windows are all tested: the next summary starts a new stream. */
    public void streamEnded() {
        producers.clear();
        firstSummaryMillis = 0;
    }
}
