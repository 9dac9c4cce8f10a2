package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.RunConditions;

/**
 * Cell layout of the default scheme (pileup edges 30, 40, 50 times detector states ALL_IN,
 * ECAL_ENDCAP_OUT and OTHER, falling back to pileup and then global): cell names at every
 * level, the finest cell of boundary and missing conditions, the mapping of finest cells to
 * coarser levels, and the refusal of fallback orders that do not coarsen to the global cell.
 */
class CellSchemeTest {

    private static final List<String> BOTH = List.of("pileup", "detectorState");

    private static NumericBins pileup() {
        return new NumericBins("pileup", new double[] {30, 40, 50});
    }

    private static StateBins states() {
        return new StateBins("detectorState", List.of("ALL_IN", "ECAL_ENDCAP_OUT"));
    }

    static CellScheme defaultScheme() {
        return new CellScheme(List.of(pileup(), states()), List.of(BOTH, List.of("pileup"), List.of()));
    }

    private static RunConditions conditions(Float pileup, String state) {
        return new RunConditions(pileup, 1.0f, state, new HashMap<>());
    }

    @Test
    void cellNamesAtEveryLevel() {
        CellScheme scheme = defaultScheme();
        assertEquals(3, scheme.levels());
        assertEquals(12, scheme.cellsAt(0));
        assertEquals(4, scheme.cellsAt(1));
        assertEquals(1, scheme.cellsAt(2));
        assertEquals("pileup<30|detectorState=ALL_IN", scheme.cellName(0, 0));
        assertEquals("pileup<30|detectorState=ECAL_ENDCAP_OUT", scheme.cellName(0, 1));
        assertEquals("pileup<30|detectorState=OTHER", scheme.cellName(0, 2));
        assertEquals("30<=pileup<40|detectorState=ALL_IN", scheme.cellName(0, 3));
        assertEquals("40<=pileup<50|detectorState=ECAL_ENDCAP_OUT", scheme.cellName(0, 7));
        assertEquals("pileup>=50|detectorState=OTHER", scheme.cellName(0, 11));
        assertEquals(List.of("pileup<30", "30<=pileup<40", "40<=pileup<50", "pileup>=50"),
                List.of(scheme.cellName(1, 0), scheme.cellName(1, 1), scheme.cellName(1, 2), scheme.cellName(1, 3)));
        assertEquals("global", scheme.cellName(2, 0));
        List<String> all = scheme.allCellNames();
        assertEquals(17, all.size());
        assertEquals(17, all.stream().distinct().count());
        assertEquals("pileup<30|detectorState=ALL_IN", all.get(0));
        assertEquals("pileup<30", all.get(12));
        assertEquals("global", all.get(16));
        assertEquals(List.of("pileup", "detectorState"), scheme.requiredFields());
    }

    @Test
    void finestCellOfBoundaryValuesGoesUpAtAnEdge() {
        CellScheme scheme = defaultScheme();
        assertEquals(0, scheme.finestCellOf(conditions(-3f, "ALL_IN")));
        assertEquals(0, scheme.finestCellOf(conditions(0f, "ALL_IN")));
        assertEquals(0, scheme.finestCellOf(conditions(Math.nextDown(30f), "ALL_IN")));
        assertEquals(3, scheme.finestCellOf(conditions(30f, "ALL_IN")));
        assertEquals(3, scheme.finestCellOf(conditions(39.99f, "ALL_IN")));
        assertEquals(6, scheme.finestCellOf(conditions(40f, "ALL_IN")));
        assertEquals(9, scheme.finestCellOf(conditions(50f, "ALL_IN")));
        assertEquals(9, scheme.finestCellOf(conditions(Float.MAX_VALUE, "ALL_IN")));
        assertEquals(4, scheme.finestCellOf(conditions(35f, "ECAL_ENDCAP_OUT")));
        // Any unlisted state, even an empty name, shares the OTHER cell.
        assertEquals(5, scheme.finestCellOf(conditions(35f, "MAGNET_OFF")));
        assertEquals(5, scheme.finestCellOf(conditions(35f, "")));
        assertEquals(5, scheme.finestCellOf(conditions(35f, "all_in")));
    }

    @Test
    void missingOrNonFiniteConditionsHaveNoCellAndNameTheField() {
        CellScheme scheme = defaultScheme();
        assertEquals(-1, scheme.finestCellOf(conditions(null, "ALL_IN")));
        assertEquals("pileup", scheme.missingField(conditions(null, "ALL_IN")));
        assertEquals(-1, scheme.finestCellOf(conditions(Float.NaN, "ALL_IN")));
        assertEquals("pileup", scheme.missingField(conditions(Float.NaN, "ALL_IN")));
        assertEquals(-1, scheme.finestCellOf(conditions(Float.POSITIVE_INFINITY, "ALL_IN")));
        assertEquals("pileup", scheme.missingField(conditions(Float.NEGATIVE_INFINITY, "ALL_IN")));
        assertEquals(-1, scheme.finestCellOf(conditions(35f, null)));
        assertEquals("detectorState", scheme.missingField(conditions(35f, null)));
        // The first missing field in dimension order is named.
        assertEquals("pileup", scheme.missingField(conditions(null, null)));
        assertNull(scheme.missingField(conditions(35f, "ALL_IN")));
    }

    @Test
    void cellAtMapsFinestCellsToTheirCoarserCells() {
        CellScheme scheme = defaultScheme();
        for (int f = 0; f < 12; f++) {
            assertEquals(f, scheme.cellAt(0, f));
            assertEquals(f / 3, scheme.cellAt(1, f));
            assertEquals(0, scheme.cellAt(2, f));
            // The coarser names are the finest name with the dropped field removed.
            assertTrue(scheme.cellName(0, f).startsWith(scheme.cellName(1, scheme.cellAt(1, f)) + "|detectorState="),
                    scheme.cellName(0, f));
        }
        // Falling back to the detector state instead of pileup.
        CellScheme byState = new CellScheme(List.of(pileup(), states()),
                List.of(List.of("detectorState", "pileup"), List.of("detectorState"), List.of()));
        assertEquals(3, byState.cellsAt(1));
        for (int f = 0; f < 12; f++) {
            assertEquals(f % 3, byState.cellAt(1, f));
        }
        assertEquals("detectorState=ECAL_ENDCAP_OUT", byState.cellName(1, byState.cellAt(1, 7)));
        // The first level may list the fields in any order; names follow the dimension order.
        assertEquals("40<=pileup<50|detectorState=ECAL_ENDCAP_OUT", byState.cellName(0, 7));
    }

    @Test
    void globalOnlySchemeHasOneCellForEveryEvent() {
        CellScheme global = CellScheme.globalOnly();
        assertEquals(1, global.levels());
        assertEquals(1, global.cellsAt(0));
        assertEquals("global", global.cellName(0, 0));
        assertEquals(0, global.finestCellOf(conditions(null, null)));
        assertNull(global.missingField(conditions(null, null)));
        assertEquals(List.of(), global.requiredFields());
        assertEquals(List.of("global"), global.allCellNames());
    }

    @Test
    void numericBinLabelsAndInstLumi() {
        NumericBins lumi = new NumericBins("instLumi", new double[] {0.5, 1.25, 2});
        assertEquals(4, lumi.bins());
        assertEquals("instLumi<0.5", lumi.label(0));
        assertEquals("0.5<=instLumi<1.25", lumi.label(1));
        assertEquals("1.25<=instLumi<2", lumi.label(2));
        assertEquals("instLumi>=2", lumi.label(3));
        assertEquals(2, lumi.binOf(new RunConditions(null, 1.25f, null, new HashMap<>())));
        assertEquals(-1, lumi.binOf(new RunConditions(35f, null, null, new HashMap<>())));
        NumericBins none = new NumericBins("pileup", new double[0]);
        assertEquals(1, none.bins());
        assertEquals("any pileup", none.label(0));
        assertEquals(0, none.binOf(conditions(1e6f, null)));
    }

    @Test
    void invalidDimensionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NumericBins("temperature", new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new NumericBins("pileup", new double[] {50, 40}));
        assertThrows(IllegalArgumentException.class, () -> new NumericBins("pileup", new double[] {30, 30}));
        assertThrows(IllegalArgumentException.class, () -> new NumericBins("pileup", new double[] {30, Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> new NumericBins("pileup", new double[] {Double.NEGATIVE_INFINITY, 30}));
        assertThrows(IllegalArgumentException.class, () -> new StateBins("detectorState", List.of("ALL_IN", "ALL_IN")));
        assertThrows(IllegalArgumentException.class, () -> new StateBins("detectorState", List.of("ALL_IN", " ")));
        assertThrows(IllegalArgumentException.class, () -> new StateBins("detectorState", List.of("OTHER")));
        StateBins none = new StateBins("detectorState", List.of());
        assertEquals(1, none.bins());
        assertEquals("detectorState=OTHER", none.label(0));
    }

    @Test
    void invalidFallbackOrdersAreRefused() {
        List<CellDimension> dims = List.of(pileup(), states());
        IllegalArgumentException notAll = assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(List.of("pileup"), List.of())));
        assertTrue(notAll.getMessage().contains("first fallback level must name every dimension"),
                notAll.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(List.of("pileup", "pileup"), List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(List.of("pileup", "detectorState", "instLumi"), List.of())));
        assertThrows(IllegalArgumentException.class, () -> new CellScheme(dims, List.of()));
        IllegalArgumentException noGlobal = assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(BOTH, List.of("pileup"))));
        assertTrue(noGlobal.getMessage().contains("global"), noGlobal.getMessage());
        IllegalArgumentException notCoarser = assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(BOTH, List.of("detectorState", "pileup"), List.of())));
        assertTrue(notCoarser.getMessage().contains("strictly coarser"), notCoarser.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(BOTH, List.of("pileup"), List.of("detectorState"), List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(dims, List.of(BOTH, List.of("pileup"), List.of(), List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> new CellScheme(List.of(pileup(), pileup()), List.of(List.of("pileup"), List.of())));
    }
}
