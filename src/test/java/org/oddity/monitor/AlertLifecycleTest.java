package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert state machine: raised once, ongoing at most once a window, cleared after k quiet windows, raised anew. */
class AlertLifecycleTest {

    private static final AlertKey FLAGS = new AlertKey(AlertKind.FLAG_RATE, "cell-a", null);
    private static final AlertKey MET = new AlertKey(AlertKind.FEATURE_SHIFT, "cell-a", "met_pt");

    @Test
    void raisedOnceThenOngoingOncePerWindowWhileItFires() {
        AlertLifecycle lifecycle = new AlertLifecycle(3);
        assertEquals(List.of("RAISED@100"), states(lifecycle.advance(100, List.of(firing(FLAGS)))));
        assertEquals(List.of("ONGOING@100"), states(lifecycle.advance(200, List.of(firing(FLAGS)))));
        // A duplicate finding in the same window does not give a second update.
        assertEquals(List.of("ONGOING@100"), states(lifecycle.advance(300, List.of(firing(FLAGS), firing(FLAGS)))));
    }

    @Test
    void clearedAfterKQuietWindowsWithTheLatestEvidence() {
        AlertLifecycle lifecycle = new AlertLifecycle(3);
        lifecycle.advance(100, List.of(firing(FLAGS)));
        Finding quiet = quiet(FLAGS);
        assertEquals(List.of(), lifecycle.advance(200, List.of(quiet)));
        // A window in which the test did not run counts as quiet too.
        assertEquals(List.of(), lifecycle.advance(300, List.of()));
        List<AlertLifecycle.Transition> cleared = lifecycle.advance(400, List.of(quiet(FLAGS)));
        assertEquals(List.of("CLEARED@100"), states(cleared));
        assertEquals(0.5, cleared.get(0).finding().correctedPValue());
        assertEquals(List.of(), lifecycle.advance(500, List.of(quiet(FLAGS))));
        assertEquals(List.of("RAISED@600"), states(lifecycle.advance(600, List.of(firing(FLAGS)))));
    }

    @Test
    void firingAgainRestartsTheQuietCount() {
        AlertLifecycle lifecycle = new AlertLifecycle(2);
        lifecycle.advance(100, List.of(firing(FLAGS)));
        assertEquals(List.of(), lifecycle.advance(200, List.of()));
        assertEquals(List.of("ONGOING@100"), states(lifecycle.advance(300, List.of(firing(FLAGS)))));
        assertEquals(List.of(), lifecycle.advance(400, List.of()));
        assertEquals(List.of("CLEARED@100"), states(lifecycle.advance(500, List.of())));
    }

    @Test
    void aClearedAlertIsRaisedAnewAndKeysAreIndependent() {
        AlertLifecycle lifecycle = new AlertLifecycle(1);
        assertEquals(List.of("RAISED@100", "RAISED@100"), states(lifecycle.advance(100, List.of(firing(MET), firing(FLAGS)))));
        assertEquals(List.of("CLEARED@100", "ONGOING@100"), states(lifecycle.advance(200, List.of(firing(MET)))));
        assertEquals(List.of("RAISED@300", "CLEARED@100"), states(lifecycle.advance(300, List.of(firing(FLAGS)))));
    }

    @Test
    void severityFollowsTheCorrectedPValueAndAClearedAlertIsInfo() {
        assertEquals(Severity.CRITICAL, Severity.of(1e-7, 1e-6));
        assertEquals(Severity.CRITICAL, Severity.of(1e-6, 1e-6));
        assertEquals(Severity.WARNING, Severity.of(2e-6, 1e-6));
        assertEquals("critical", Severity.CRITICAL.label());
        AlertUpdate raised = AlertUpdate.of(AlertState.RAISED, firing(FLAGS), 0, 100, 100);
        assertEquals(Severity.CRITICAL, raised.severity());
        AlertUpdate cleared = AlertUpdate.of(AlertState.CLEARED, firing(FLAGS), 200, 300, 100);
        assertEquals(Severity.INFO, cleared.severity());
        assertEquals("cleared: test message", cleared.message());
        assertEquals(FLAGS, cleared.key());
    }

    private static Finding firing(AlertKey key) {
        return finding(key, true, 1e-9, Severity.CRITICAL);
    }

    private static Finding quiet(AlertKey key) {
        return finding(key, false, 0.5, Severity.WARNING);
    }

    private static Finding finding(AlertKey key, boolean firing, double corrected, Severity severity) {
        return new Finding(key, firing, severity, "test", 1.0, corrected, corrected, 1, 1, RunRange.NONE, List.of(),
                "test message");
    }

    /** Each transition as STATE@raisedAt, in order. */
    private static List<String> states(List<AlertLifecycle.Transition> transitions) {
        List<String> out = new ArrayList<>();
        for (AlertLifecycle.Transition t : transitions) {
            out.add(t.state() + "@" + t.raisedAtNanos());
        }
        return out;
    }
}
