package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fallback of calibration cells: a finest cell with fewer scores than the minimum size takes its
 * pileup cell's set, a small pileup cell takes the global set, the resolution reports the level
 * and the cell used, and a table without a large enough global cell is refused.
 */
class CalibrationTableTest {

    private static final int MIN = 99;

    private static CalibrationSet ofSize(int n, double offset) {
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = offset + i;
        }
        return CalibrationSet.of(scores);
    }

    @Test
    void smallCellsFallBackToTheirPileupCellAndThenToGlobal() {
        CellScheme scheme = CellSchemeTest.defaultScheme();
        Map<String, CalibrationSet> sets = new HashMap<>();
        CalibrationSet bigFinest = ofSize(150, 0);
        CalibrationSet exactlyMinimum = ofSize(MIN, 0);
        CalibrationSet oneShort = ofSize(MIN - 1, 0);
        CalibrationSet pileup30 = ofSize(250, 0);
        CalibrationSet global = ofSize(1000, 0);
        sets.put("30<=pileup<40|detectorState=ALL_IN", bigFinest);
        sets.put("30<=pileup<40|detectorState=ECAL_ENDCAP_OUT", ofSize(20, 0));
        sets.put("40<=pileup<50|detectorState=ALL_IN", exactlyMinimum);
        sets.put("40<=pileup<50|detectorState=ECAL_ENDCAP_OUT", oneShort);
        sets.put("30<=pileup<40", pileup30);
        sets.put("40<=pileup<50", ofSize(MIN - 1, 0));
        sets.put("pileup<30|detectorState=ALL_IN", ofSize(50, 0));
        sets.put("pileup<30", ofSize(60, 0));
        sets.put("global", global);

        CalibrationTable table = CalibrationTable.resolve(scheme, sets, MIN);
        assertSame(global, table.global());

        ResolvedCell own = table.cellFor(3);
        assertEquals(new ResolvedCell("30<=pileup<40|detectorState=ALL_IN", "30<=pileup<40|detectorState=ALL_IN", 0,
                CalibrationTable.BUNDLE,
                bigFinest), own);
        ResolvedCell toPileup = table.cellFor(4);
        assertEquals("30<=pileup<40|detectorState=ECAL_ENDCAP_OUT", toPileup.requested());
        assertEquals("30<=pileup<40", toPileup.used());
        assertEquals(1, toPileup.level());
        assertSame(pileup30, toPileup.set());
        // A finest cell without any set also takes its pileup cell.
        assertEquals(new ResolvedCell("30<=pileup<40|detectorState=OTHER", "30<=pileup<40", 1, CalibrationTable.BUNDLE, pileup30),
                table.cellFor(5));
        // Exactly the minimum is enough; one fewer is not, and a small pileup cell is skipped too.
        assertEquals(0, table.cellFor(6).level());
        assertSame(exactlyMinimum, table.cellFor(6).set());
        assertEquals(new ResolvedCell("40<=pileup<50|detectorState=ECAL_ENDCAP_OUT", "global", 2, CalibrationTable.BUNDLE, global),
                table.cellFor(7));
        assertEquals(new ResolvedCell("pileup<30|detectorState=ALL_IN", "global", 2, CalibrationTable.BUNDLE, global), table.cellFor(0));
        assertEquals(new ResolvedCell("pileup>=50|detectorState=OTHER", "global", 2, CalibrationTable.BUNDLE, global), table.cellFor(11));

        List<ResolvedCell> all = table.resolvedCells();
        assertEquals(12, all.size());
        int[] levels = all.stream().mapToInt(ResolvedCell::level).toArray();
        assertEquals(List.of(2, 2, 2, 0, 1, 1, 0, 2, 2, 2, 2, 2),
                java.util.Arrays.stream(levels).boxed().toList());
        for (int f = 0; f < 12; f++) {
            assertEquals(scheme.cellName(0, f), all.get(f).requested());
            assertTrue(all.get(f).set().size() >= MIN);
        }
    }

    @Test
    void everyCellLargeEnoughMeansNoFallback() {
        CellScheme scheme = CellSchemeTest.defaultScheme();
        Map<String, CalibrationSet> sets = new HashMap<>();
        for (String name : scheme.allCellNames()) {
            sets.put(name, ofSize(MIN, 0));
        }
        CalibrationTable table = CalibrationTable.resolve(scheme, sets, MIN);
        for (int f = 0; f < 12; f++) {
            assertEquals(0, table.cellFor(f).level());
            assertEquals(scheme.cellName(0, f), table.cellFor(f).used());
        }
    }

    @Test
    void missingOrSmallGlobalCellIsRefused() {
        CellScheme scheme = CellSchemeTest.defaultScheme();
        Map<String, CalibrationSet> noGlobal = new HashMap<>();
        noGlobal.put("pileup<30", ofSize(500, 0));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CalibrationTable.resolve(scheme, noGlobal, MIN));
        assertEquals("calibration has no global cell; at least 99 are needed for the tightest working point",
                missing.getMessage());

        Map<String, CalibrationSet> small = new HashMap<>();
        small.put("global", ofSize(MIN - 1, 0));
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> CalibrationTable.resolve(scheme, small, MIN));
        assertEquals("calibration has 98 events in the global cell; at least 99 are needed for the tightest"
                + " working point", tooSmall.getMessage());

        small.put("global", ofSize(MIN, 0));
        assertEquals(MIN, CalibrationTable.resolve(scheme, small, MIN).cellFor(0).set().size());
    }

    @Test
    void globalOnlySchemeUsesTheGlobalSet() {
        CalibrationSet global = ofSize(200, 0);
        CalibrationTable table = CalibrationTable.resolve(CellScheme.globalOnly(), Map.of("global", global), MIN);
        assertEquals(new ResolvedCell("global", "global", 0, CalibrationTable.BUNDLE, global), table.cellFor(0));
        assertEquals(1, table.resolvedCells().size());
    }
}
