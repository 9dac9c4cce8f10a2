package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partials merge per (window, cell, stratum, model version), redeliveries are skipped, and windows leave oldest first. */
class OpenWindowsTest {

    private static final SummaryLayout LAYOUT = new SummaryLayout(List.of("loose"), 4, FeatureBinning.none());

    @Test
    void mergesPartialsByCellStratumAndVersionAndHandsOutWindowsOldestFirst() {
        OpenWindows open = new OpenWindows();
        assertTrue(open.add(partial(200, "a", 3, "v1", "task-0", 5)));
        assertTrue(open.add(partial(100, "a", 3, "v1", "task-0", 1)));
        assertTrue(open.add(partial(100, "a", 3, "v1", "task-1", 2)));
        assertTrue(open.add(partial(100, "a", 4, "v1", "task-1", 4)));
        assertTrue(open.add(partial(100, "a", 3, "v2", "task-1", 8)));
        assertFalse(open.add(partial(100, "a", 3, "v1", "task-1", 2)), "a redelivery");
        assertFalse(open.hasWindowBefore(100));
        assertTrue(open.hasWindowBefore(101));
        List<CellWindowStats> first = open.pollOldest();
        first.sort(Comparator.comparing(OpenWindows::mergeKey));
        // By key: (a, 3, v1) merged from two tasks, (a, 3, v2), (a, 4, v1).
        assertEquals(List.of(3L, 8L, 4L), first.stream().map(CellWindowStats::events).toList());
        assertEquals(List.of(100L), first.stream().map(CellWindowStats::windowStartNanos).distinct().toList());
        assertEquals(5, open.pollOldest().get(0).events());
        assertTrue(open.isEmpty());
        assertFalse(open.hasWindowBefore(Long.MAX_VALUE));
    }

    private static CellWindowStats partial(long start, String cell, int stratum, String version, String producer,
            int events) {
        CellWindowStats s = new CellWindowStats(start, start + 100, cell, stratum, version, producer, LAYOUT);
        for (int i = 0; i < events; i++) {
            s.addEvent(1, 1, 0.5, 0, null);
        }
        return s;
    }
}
