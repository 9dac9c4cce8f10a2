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
}
