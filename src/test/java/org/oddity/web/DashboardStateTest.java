package org.oddity.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.oddity.avro.AlertState;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.WindowSummary;

/**
 * {@link DashboardState}: the partials of several tasks summed per window and cell, a partial
 * delivered twice counted once, only the newest windows kept; alerts open until cleared; the
 * latest flags newest first, bounded.
 */
class DashboardStateTest {

    private static final long WINDOW = 23_310_000_000L;

    private static WindowSummary partial(int window, String cell, String producer, long events, long loose,
            List<Long> pValues) {
        return WindowSummary.newBuilder().setWindowStartNanos(window * WINDOW).setWindowEndNanos((window + 1) * WINDOW)
                .setCell(cell).setModelVersion("v1").setProducer(producer).setEvents(events)
                .setFlaggedPerWorkingPoint(Map.of("loose", loose, "tight", 0L)).setPValueHistogram(pValues)
                .setFirstRun(1).setFirstLumisection(window).setLastRun(1).setLastLumisection(window).build();
    }

    private static DriftAlert alert(String kind, AlertState state, String cell) {
        return DriftAlert.newBuilder().setKind(kind).setState(state).setSeverity("warning").setCell(cell)
                .setFeature("met_pt").setStatistic("chi2").setStatisticValue(40).setRawPValue(1e-9)
                .setCorrectedPValue(Double.NaN).setObserved(3).setExpected(1).setWindowStartNanos(WINDOW)
                .setWindowEndNanos(2 * WINDOW).setFirstRun(1).setFirstLumisection(1).setLastRun(1)
                .setLastLumisection(1).setTopFeatures(List.of("met_pt")).setMessage("shift").setRaisedAtMillis(5)
                .build();
    }

    private static FlaggedEvent flag(long event) {
        return FlaggedEvent.newBuilder().setRun(1).setLumisection(2).setEvent(event).setTimestampNanos(0)
                .setBunchCrossing(1).setCell("a").setRequestedCell("a").setCalibrationSize(100).setScore(3.5)
                .setPValue(0.001).setWorkingPoint("loose").setAlpha(0.01).setModelName("m").setModelVersion("v1")
                .setFlaggedAtMillis(7).setTopFeatures(List.of(new FeatureContribution("met_pt", 2.0))).build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void partialsOfEveryTaskAreSummedOnceAndOnlyTheNewestWindowsKept() {
        DashboardState state = new DashboardState(2, 5);
        state.summary(partial(1, "a", "task-0", 100, 2, List.of(10L, 90L)));
        state.summary(partial(1, "a", "task-1", 50, 1, List.of(5L, 45L)));
        state.summary(partial(1, "a", "task-1", 50, 1, List.of(5L, 45L)));
        state.summary(partial(1, "b", "task-0", 30, 0, List.of(3L, 27L)));
        List<Map<String, Object>> windows = (List<Map<String, Object>>) state.snapshot().get("windows");
        assertEquals(1, windows.size());
        Map<String, Object> cells = (Map<String, Object>) windows.get(0).get("cells");
        assertEquals(Map.of("events", 150L, "flagged", Map.of("loose", 3L, "tight", 0L)), cells.get("a"),
                "two tasks summed, the redelivered partial once");
        assertArrayEquals(new long[] {18, 162}, (long[]) windows.get(0).get("pValueHistogram"));
        assertEquals(WINDOW / 1_000_000L, windows.get(0).get("startMillis"));

        state.summary(partial(2, "a", "task-0", 10, 0, List.of(1L, 9L)));
        state.summary(partial(3, "a", "task-0", 10, 0, List.of(1L, 9L)));
        state.summary(partial(1, "a", "task-2", 10, 0, List.of(1L, 9L)));
        windows = (List<Map<String, Object>>) state.snapshot().get("windows");
        assertEquals(List.of(2 * WINDOW / 1_000_000L, 3 * WINDOW / 1_000_000L),
                windows.stream().map(w -> w.get("startMillis")).toList(), "the two newest, a late partial dropped");
    }

    @Test
    @SuppressWarnings("unchecked")
    void alertsStayOpenUntilClearedAndTheLatestAreKept() {
        DashboardState state = new DashboardState(10, 3);
        state.alert(alert("FEATURE_SHIFT", AlertState.RAISED, "a"));
        state.alert(alert("FEATURE_SHIFT", AlertState.RAISED, "b"));
        state.alert(alert("FLAG_RATE", AlertState.RAISED, "a"));
        state.alert(alert("FEATURE_SHIFT", AlertState.ONGOING, "a"));
        assertEquals(Map.of("FEATURE_SHIFT", 2, "FLAG_RATE", 1), state.openAlertsByKind());
        state.alert(alert("FEATURE_SHIFT", AlertState.CLEARED, "a"));
        assertEquals(1, state.openAlerts("FEATURE_SHIFT"));
        assertEquals(0, state.openAlerts("MODEL_REFUSED"));
        Map<String, Object> snapshot = state.snapshot();
        List<Map<String, Object>> latest = (List<Map<String, Object>>) snapshot.get("latestAlerts");
        assertEquals(List.of("CLEARED FEATURE_SHIFT a", "RAISED FLAG_RATE a", "RAISED FEATURE_SHIFT b"),
                latest.stream().map(a -> a.get("state") + " " + a.get("kind") + " " + a.get("cell")).toList(),
                "newest first, three kept, the ongoing repeat not among them");
        assertEquals(null, latest.get(0).get("correctedPValue"), "JSON has no NaN");
        assertEquals(2, ((List<?>) snapshot.get("openAlerts")).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLatestFlagsComeNewestFirst() {
        DashboardState state = new DashboardState(10, 2);
        for (long e = 1; e <= 3; e++) {
            state.flag(flag(e));
        }
        List<Map<String, Object>> flags = (List<Map<String, Object>>) state.snapshot().get("latestFlags");
        assertEquals(List.of("1:2:3", "1:2:2"), flags.stream().map(f -> f.get("id")).toList());
        assertEquals(List.of(Map.of("feature", "met_pt", "contribution", 2.0)), flags.get(0).get("topFeatures"));
    }
}
