package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When windows are complete and summaries late, with an idle-flush time of 30 s, by wall-clock millis. */
class WindowCompletionTest {

    private static final long IDLE = 30_000;

    @Test
    void noWindowIsCompleteDuringAStreamsFirstTwoIdleFlushTimes() {
        WindowCompletion completion = new WindowCompletion(Duration.ofMillis(IDLE));
        assertEquals(Long.MIN_VALUE, completion.published(Set.of("a"), 300, 1_000));
        assertEquals(Long.MIN_VALUE, completion.published(Set.of("b"), 100, 1_000 + 2 * IDLE - 1));
        // From then on the slowest task heard from lately bounds the complete windows.
        assertEquals(100, completion.published(Set.of("a"), 400, 1_000 + 2 * IDLE));
        assertEquals(300, completion.published(Set.of("b"), 300, 1_000 + 2 * IDLE + 1));
    }

    @Test
    void aTaskSilentForTenIdleFlushTimesNoLongerHoldsWindowsOpen() {
        WindowCompletion completion = new WindowCompletion(Duration.ofMillis(IDLE));
        completion.published(Set.of("slow"), 100, 1);
        assertEquals(100, completion.published(Set.of("fast"), 500, 1 + 10 * IDLE));
        assertEquals(500, completion.published(Set.of("fast"), 500, 2 + 10 * IDLE));
    }

    @Test
    void aMergedPartialCountsForEveryTaskItNames() {
        WindowCompletion completion = new WindowCompletion(Duration.ofMillis(IDLE));
        completion.published(Set.of("a", "b"), 200, 1);
        assertEquals(200, completion.published(Set.of("a"), 300, 1 + 2 * IDLE));
    }

    @Test
    void summariesOfATestedWindowOrAnEarlierOneAreLate() {
        WindowCompletion completion = new WindowCompletion(Duration.ofMillis(IDLE));
        assertFalse(completion.late(Long.MIN_VALUE + 1));
        completion.tested(200);
        assertTrue(completion.late(100));
        assertTrue(completion.late(200));
        assertFalse(completion.late(201));
    }

    @Test
    void theStreamIsQuietAfterTwiceTheIdleFlushTimeAndAQuietStreamStartsAnew() {
        WindowCompletion completion = new WindowCompletion(Duration.ofMillis(IDLE));
        completion.summaryArrived(5_000);
        completion.published(Set.of("a"), 100, 5_000);
        assertFalse(completion.quiet(5_000 + 2 * IDLE - 1));
        assertTrue(completion.quiet(5_000 + 2 * IDLE));
        completion.streamEnded();
        // The next summary starts a new stream: the start-up wait again, and the old task forgotten.
        assertEquals(Long.MIN_VALUE, completion.published(Set.of("b"), 900, 10 * IDLE));
        assertEquals(900, completion.published(Set.of("b"), 900, 12 * IDLE));
    }
}
