package org.oddity.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.NumericBins;
import org.oddity.calibrate.StateBins;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.monitor.FeatureBinning;
import org.oddity.monitor.PValueGrid;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.score.Scorer;

/**
 * The calibration collector puts every scorable event into its finest cell and, through unions,
 * into its cell at every coarser level; events without a cell or without valid objects are
 * counted and skipped.
 */
class CalibrationCollectorTest {

    /** Scores an event by its MET, so every calibration set is known exactly. */
    private static final Scorer MET = scorerOfMet("met", met -> met);

    /** A scorer whose score is {@code scoreOfMet} of the event's MET, the first of its 57 features. */
    private static Scorer scorerOfMet(String family, DoubleUnaryOperator scoreOfMet) {
        return new Scorer() {
            @Override
            public String family() {
                return family;
            }

            @Override
            public int featureCount() {
                return 57;
            }

            @Override
            public double score(float[] features) {
                return scoreOfMet.applyAsDouble(features[0]);
            }
        };
    }

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
    void aModelThatScoresBackgroundNaNIsRefusedNotSkipped() {
        Scorer nanAboveTen = scorerOfMet("nan-above-ten", met -> met > 10 ? Double.NaN : met);
        CalibrationCollector collector = new CalibrationCollector(nanAboveTen, new L1ObjectsExtractor(), CELLS);
        collector.add(event(25f, "ALL_IN", 2f));
        collector.add(event(25f, "ALL_IN", 20f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, collector::sets);
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
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

    @Test
    void referenceCountsEachPileupUnitAndLeaveOneOutPValues() {
        FeatureBinning binning = FeatureBinning.fit(new L1ObjectsExtractor().featureNames(), sampleMatrix(), 4);
        CalibrationCollector collector = new CalibrationCollector(MET, new L1ObjectsExtractor(), CELLS, binning);
        // 5,000 events of distinct MET in one cell: 2,000 at pileup 41.5, 3,000 at 44.2 (the unit [44, 45)).
        SplittableRandom random = new SplittableRandom(9L);
        for (int i = 0; i < 5_000; i++) {
            collector.add(event(i % 5 < 2 ? 41.5f : 44.2f, "ALL_IN", (float) (random.nextDouble() * 100)));
        }
        ReferenceHistograms reference = collector.references();
        String cell = "40<=pileup<50|detectorState=ALL_IN";
        assertEquals(Strata.PILEUP_UNITS, reference.strata());
        assertEquals(java.util.Set.of(41, 44), reference.strataOf(cell).keySet());
        assertEquals(2_000, reference.stratum(cell, 41).events());
        assertEquals(3_000, reference.stratum(cell, 44).events());
        // Leave one out, distinct scores have p = rank / n, so exactly floor(alpha n) are at most alpha.
        for (double alpha : new double[] {1e-3, 1e-2, 0.05, 0.5}) {
            int edge = PValueGrid.edgeIndex(alpha);
            long atMost = PValueGrid.countUpTo(reference.stratum(cell, 41).pValues(false), edge)
                    + PValueGrid.countUpTo(reference.stratum(cell, 44).pValues(false), edge);
            assertEquals((long) Math.floor(alpha * 5_000 + 1e-9), atMost, "alpha " + alpha);
            long randomized = PValueGrid.countUpTo(reference.stratum(cell, 41).pValues(true), edge)
                    + PValueGrid.countUpTo(reference.stratum(cell, 44).pValues(true), edge);
            // Without ties the randomized p lies within one rank of the conservative one.
            assertEquals(atMost, randomized, 1.0, "alpha " + alpha);
        }
    }

    private static org.oddity.score.FeatureMatrix sampleMatrix() {
        org.oddity.score.FeatureMatrix m = new org.oddity.score.FeatureMatrix(57);
        float[] row = new float[57];
        for (int i = 0; i < 100; i++) {
            row[0] = i;
            m.add(row);
        }
        return m;
    }
}
