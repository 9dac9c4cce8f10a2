package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Online sets merge the latest snapshot of every source per (version, cell); an empty snapshot
 * withdraws its source; staleness changes are handed out once each.
 */
class OnlineCalibrationTest {

    @Test
    void mergesTheLatestSnapshotOfEverySource() {
        OnlineCalibration online = new OnlineCalibration();
        online.update("v1", "global", "partition-0", CalibrationSet.of(new double[] {1, 3}), 10);
        Map<String, CalibrationSet> sets = online.update("v1", "global", "partition-1",
                CalibrationSet.of(new double[] {2}), 11);
        assertArrayEquals(new double[] {1, 2, 3}, sets.get("global").sortedScores());
        sets = online.update("v1", "global", "partition-0", CalibrationSet.of(new double[] {5}), 12);
        assertArrayEquals(new double[] {2, 5}, sets.get("global").sortedScores(), "a newer snapshot replaces the old");
        sets = online.update("v1", "global", "partition-1", CalibrationSet.of(new double[0]), 13);
        assertArrayEquals(new double[] {5}, sets.get("global").sortedScores(), "an empty snapshot withdraws");
        online.update("v2", "pileup<30", "partition-0", CalibrationSet.of(new double[] {7}), 14);
        assertEquals(Set.of("pileup<30"), online.sets("v2").keySet());
        online.retainOnly(Set.of("v2"));
        assertTrue(online.sets("v1").isEmpty());
    }

    @Test
    void staleChangesAreReportedOnceEach() {
        OnlineCalibration online = new OnlineCalibration();
        Duration maxAge = Duration.ofSeconds(60);
        online.update("v1", "a", "p0", CalibrationSet.of(new double[] {1}), 1_000);
        online.update("v1", "b", "p0", CalibrationSet.of(new double[] {1}), 50_000);
        assertTrue(online.staleChanges("v1", 61_000, maxAge).isEmpty(), "exactly max-age old is not stale");
        List<OnlineCalibration.StaleChange> changes = online.staleChanges("v1", 61_001, maxAge);
        assertEquals(List.of(new OnlineCalibration.StaleChange("v1", "a", true, 1_000)), changes);
        assertTrue(online.staleChanges("v1", 62_000, maxAge).isEmpty());
        online.update("v1", "a", "p1", CalibrationSet.of(new double[] {2}), 62_000);
        assertEquals(List.of(new OnlineCalibration.StaleChange("v1", "a", false, 62_000)),
                online.staleChanges("v1", 62_000, maxAge));
        assertTrue(online.staleChanges("v1", 1_000_000, Duration.ZERO).isEmpty(), "max-age 0 never reports");
    }
}
