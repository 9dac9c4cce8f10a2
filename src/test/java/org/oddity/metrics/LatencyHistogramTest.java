package org.oddity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link LatencyHistogram}: percentiles in microseconds of the values recorded in one interval,
 * swapped only once the interval has run; out-of-range values clamped; {@link SampledTimer}
 * times exactly one event in N.
 */
class LatencyHistogramTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000);
    private final LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(1), INTERVAL, now::get);

    @Test
    void percentilesOfOneIntervalAtATime() {
        assertTrue(Double.isNaN(histogram.percentileMicros(50)), "nothing recorded yet");
        // 10,000 latencies: 9,900 of 20 us and 100 of 3 ms, so p99 is 20 us and p99.9 is 3 ms.
        for (int i = 0; i < 9_900; i++) {
            histogram.record(20_000);
        }
        for (int i = 0; i < 100; i++) {
            histogram.record(3_000_000);
        }
        now.addAndGet(INTERVAL.toNanos() - 1);
        assertTrue(Double.isNaN(histogram.maxMicros()), "the interval has not run yet");
        assertEquals(0, histogram.recorded());

        now.addAndGet(1);
        // Values below 2048 ns are exact; above, HdrHistogram's 3 significant digits put them within 0.1%.
        assertEquals(20.0, histogram.percentileMicros(50), 0.02);
        assertEquals(20.0, histogram.percentileMicros(99), 0.02);
        assertEquals(3_000, histogram.percentileMicros(99.9), 3);
        assertEquals(3_000, histogram.maxMicros(), 3);
        assertEquals(10_000, histogram.recorded());

        histogram.record(1_500);
        assertEquals(3_000, histogram.maxMicros(), 3, "one scrape's reads see one interval");
        now.addAndGet(INTERVAL.toNanos());
        assertEquals(1.5, histogram.percentileMicros(50));
        assertEquals(1.5, histogram.maxMicros());
        assertEquals(10_001, histogram.recorded());

        now.addAndGet(INTERVAL.toNanos());
        assertTrue(Double.isNaN(histogram.percentileMicros(50)), "an interval with no events has no percentiles");
        assertEquals(10_001, histogram.recorded());
    }

    @Test
    void negativeAndOverlongLatenciesAreClamped() {
        histogram.record(-5_000);
        histogram.record(Long.MAX_VALUE);
        now.addAndGet(INTERVAL.toNanos());
        assertEquals(0, histogram.percentileMicros(50));
        assertEquals(1_000_000, histogram.maxMicros(), 1_000, "longer than the range counts as its top, 1 s");
        assertEquals(2, histogram.recorded());
    }

    @Test
    void aSampledTimerTimesOneEventInN() {
        SampledTimer timer = new SampledTimer(histogram, 4);
        for (int i = 0; i < 22; i++) {
            timer.stop(timer.start());
        }
        now.addAndGet(INTERVAL.toNanos());
        assertEquals(5, histogram.recorded(), "events 4, 8, 12, 16 and 20 of 22");
        assertThrows(IllegalArgumentException.class, () -> new SampledTimer(histogram, 0));
    }
}
