package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reservoir keeps the most recent scores, bounded by count and by event time, and says when it changed. */
class ScoreReservoirTest {

    @Test
    void keepsTheLastCapacityScoresSorted() {
        ScoreReservoir r = new ScoreReservoir(3, 0);
        assertEquals(Long.MIN_VALUE, r.oldestNanos());
        for (int i = 1; i <= 5; i++) {
            r.add(10 - i, i * 100L);
        }
        assertEquals(3, r.size());
        assertTrue(r.changed());
        assertArrayEquals(new double[] {5, 6, 7}, r.sortedScores());
        assertFalse(r.changed());
        assertEquals(300, r.oldestNanos());
        assertEquals(500, r.newestNanos());
        r.expire();
        assertFalse(r.changed(), "no window: nothing expires");
    }

    @Test
    void dropsScoresOlderThanTheWindowBehindTheNewestEvent() {
        ScoreReservoir r = new ScoreReservoir(100, 1_000);
        r.add(1, 0);
        r.add(2, 500);
        r.add(3, 1_200);
        r.sortedScores();
        r.expire();
        assertTrue(r.changed());
        assertArrayEquals(new double[] {2, 3}, r.sortedScores(), "0 < 1200 - 1000 is dropped, 500 is kept");
        r.add(4, 3_000);
        r.expire();
        assertArrayEquals(new double[] {4}, r.sortedScores());
        assertThrows(IllegalArgumentException.class, () -> new ScoreReservoir(0, 0));
    }

    @Test
    void replayingWhatWasDrainedAtEachSaveRebuildsTheReservoir() {
        ScoreReservoir original = new ScoreReservoir(4, 0);
        ScoreReservoir replayed = new ScoreReservoir(4, 0);
        int[] batches = {2, 1, 0, 7, 3};
        int next = 0;
        for (int batch : batches) {
            for (int i = 0; i < batch; i++, next++) {
                original.add(next * 1.5, next * 10L);
            }
            long[] pairs = original.drainAdded();
            assertEquals(2 * Math.min(batch, 4), pairs.length, "what was added and is still held");
            for (int i = 0; i < pairs.length; i += 2) {
                replayed.add(Double.longBitsToDouble(pairs[i]), pairs[i + 1]);
            }
            assertArrayEquals(original.sortedScores(), replayed.sortedScores());
            assertEquals(original.oldestNanos(), replayed.oldestNanos());
        }
        assertEquals(0, original.drainAdded().length, "nothing added since");
    }
}
