package org.oddity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.StateBins;
import org.oddity.calibrate.NumericBins;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.Scorer;

/**
 * The calibration collector puts every scorable event into its finest cell and, through unions,
 * into its cell at every coarser level; events without a cell or without valid objects are
 * counted and skipped.
 */
class CalibrationCollectorTest {

    /** Scores an event by its MET, so every calibration set is known exactly. */
    private static final Scorer MET = new Scorer() {
        @Override
        public String family() {
            return "met";
        }

        @Override
        public int featureCount() {
            return 57;
        }

        @Override
        public double score(float[] features) {
            return features[0];
        }
    };

    private static final CellScheme CELLS = new CellScheme(
            List.of(new NumericBins("pileup", new double[] {30, 40, 50}),
                    new StateBins("detectorState", List.of("ALL_IN", "ECAL_ENDCAP_OUT"))),
            List.of(List.of("pileup", "detectorState"), List.of("pileup"), List.of()));

    private static CollisionEvent event(Float pileup, String state, float met) {
        RunConditions conditions = new RunConditions(pileup, 1f, state, new HashMap<>());
        TriggerObjects objects = new TriggerObjects(met, 0f, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        return new CollisionEvent(1L, 1, 1L, 0L, 1, conditions, objects, null, null);
    }

    @Test
    void setsAtEveryLevelAreUnionsOfTheFinestCells() {
        CalibrationCollector collector = new CalibrationCollector(MET, new L1ObjectsExtractor(), CELLS);
        collector.add(event(25f, "ALL_IN", 2f));
        collector.add(event(25f, "ALL_IN", 1f));
        collector.add(event(29.5f, "ECAL_ENDCAP_OUT", 3f));
        collector.add(event(30f, "ALL_IN", 4f));
        collector.add(event(55f, "WEIRD", 5f));
        // Rejected: no conditions, no pileup, no objects, negative MET.
        CollisionEvent noConditions = event(25f, "ALL_IN", 6f);
        noConditions.setConditions(null);
        collector.add(noConditions);
        collector.add(event(null, "ALL_IN", 7f));
        CollisionEvent noObjects = event(25f, "ALL_IN", 8f);
        noObjects.setObjects(null);
        collector.add(noObjects);
        collector.add(event(25f, "ALL_IN", -9f));
        assertEquals(4, collector.rejected());

        Map<String, double[]> sets = new TreeMap<>();
        for (Map.Entry<String, CalibrationSet> e : collector.sets().entrySet()) {
            sets.put(e.getKey(), e.getValue().sortedScores());
        }
        Map<String, double[]> expected = new TreeMap<>();
        expected.put("pileup<30|detectorState=ALL_IN", new double[] {1, 2});
        expected.put("pileup<30|detectorState=ECAL_ENDCAP_OUT", new double[] {3});
        expected.put("30<=pileup<40|detectorState=ALL_IN", new double[] {4});
        expected.put("pileup>=50|detectorState=OTHER", new double[] {5});
        expected.put("pileup<30", new double[] {1, 2, 3});
        expected.put("30<=pileup<40", new double[] {4});
        expected.put("pileup>=50", new double[] {5});
        expected.put("global", new double[] {1, 2, 3, 4, 5});
        assertEquals(expected.keySet(), sets.keySet());
        for (String cell : expected.keySet()) {
            assertArrayEquals(expected.get(cell), sets.get(cell), cell);
        }
    }

    @Test
    void cellsGrowBeyondTheirInitialCapacity() {
        CalibrationCollector collector = new CalibrationCollector(MET, new L1ObjectsExtractor(), CELLS);
        for (int i = 0; i < 3_000; i++) {
            collector.add(event(45f, "ECAL_ENDCAP_OUT", i));
        }
        Map<String, CalibrationSet> sets = collector.sets();
        assertEquals(3, sets.size());
        CalibrationSet finest = sets.get("40<=pileup<50|detectorState=ECAL_ENDCAP_OUT");
        assertEquals(3_000, finest.size());
        assertEquals(2_999.0, finest.sortedScores()[2_999]);
        assertEquals(3_000, sets.get("global").size());
        assertEquals(0, collector.rejected());
    }
}
