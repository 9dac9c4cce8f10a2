package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.fixtures.TrainedBundle;

/** A task's open windows: what is stored at each commit, what comes back after a restart, and early closes. */
class TaskWindowsTest {

    private static final CellScheme CELLS = TrainedBundle.defaultSettings().calibration().cells();
    private static final SummaryLayout LAYOUT = SummaryLayout.of(
            new WorkingPoints(List.of(new WorkingPoint("loose", 1e-2))), 20, CellWindowStatsTest.BINNING);
    private static final long WINDOW = 1_000;

    private static TaskWindows windows(String producer) {
        return new TaskWindows(CELLS, LAYOUT, "v1", producer, WINDOW, 1);
    }

    @Test
    void aWindowOpenedAgainAfterAnEarlyCloseIsASecondPartialThatMergesInFull() {
        TaskWindows windows = windows("0_0@a");
        windows.addEvent(100, 0, 0, 1, 1, 0.5, 0, null);
        windows.closeAll();
        windows.addEvent(200, 0, 0, 1, 1, 0.5, 0, null);
        windows.closeAll();
        List<CellWindowStats> partials = windows.drainClosed();
        assertEquals(2, partials.size());
        assertTrue(partials.get(0).merge(partials.get(1)), "not taken for a redelivery: " + partials);
        assertEquals(2, partials.get(0).events());
    }

    @Test
    void whatWasStoredComesBackAndGoesOnCounting() {
        TaskWindows before = windows("0_0@a");
        for (int i = 0; i < 5; i++) {
            before.addEvent(100 + i, 0, 0, 1, 1, 0.5, 0, null);
        }
        before.addDeadLetter(150, 1);
        List<CellWindowStats> stored = before.drainUnsaved();
        assertEquals(2, stored.size(), "the two partials the events and the dead letter changed");
        assertEquals(List.of(), before.drainUnsaved(), "each change stored once");

        TaskWindows after = windows("0_0@b");
        after.restore(before.newestWindow(), stored);
        after.addEvent(300, 0, 0, 1, 1, 0.5, 0, null);
        after.addEvent(2_500, 0, 0, 1, 1, 0.5, 0, null);
        List<CellWindowStats> closed = after.drainClosed();
        CellWindowStats cell0 = closed.stream().filter(s -> s.deadLetters() == 0).findFirst().orElseThrow();
        assertEquals(6, cell0.events(), "five before the restart, one after");
        assertEquals(1, closed.stream().mapToLong(CellWindowStats::deadLetters).sum());
    }
}
