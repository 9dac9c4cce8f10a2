package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.avro.WindowSummary;

/** The WindowSummary Avro mapping: a lossless round trip, and summaries that do not fit the layout refused. */
class WindowSummariesTest {

    private static final SummaryLayout LAYOUT = CellWindowStatsTest.LAYOUT;

    @Test
    void roundTripKeepsEveryCountTheRangeAndTheProducers() {
        CellWindowStats stats = new CellWindowStats(1_000, 2_000, "pileup<30", Strata.UNKNOWN, "hbos-3", "task-1", LAYOUT);
        SplittableRandom random = new SplittableRandom(2L);
        float[] row = new float[LAYOUT.binning().features()];
        for (int i = 0; i < 500; i++) {
            BackgroundFeatures.draw(random, 0.0, row);
            stats.addEvent(355_100, 40 + i / 100, random.nextDouble(), random.nextInt(8), row);
        }
        stats.addDeadLetter();
        CellWindowStats other = new CellWindowStats(1_000, 2_000, "pileup<30", Strata.UNKNOWN, "hbos-3", "task-0", LAYOUT);
        other.addEvent(355_099, 900, 0.01, 1, row);
        stats.merge(other);
        WindowSummary avro = WindowSummaries.toAvro(stats);
        assertEquals("task-0,task-1", avro.getProducer());
        assertEquals(501L, avro.getEvents());
        assertEquals(List.of("loose", "medium", "tight"), List.copyOf(avro.getFlaggedPerWorkingPoint().keySet()));
        assertEquals(355_099L, avro.getFirstRun());
        assertEquals(900, avro.getFirstLumisection());
        assertEquals(44, avro.getLastLumisection());
        CellWindowStats back = WindowSummaries.fromAvro(avro, LAYOUT);
        assertEquals(avro, WindowSummaries.toAvro(back));
        assertEquals(stats.producers(), back.producers());
    }

    @Test
    void anEmptySummaryRoundTripsWithItsEmptyRange() {
        CellWindowStats empty = new CellWindowStats(0, 1, "global", Strata.UNKNOWN, "v", "task", LAYOUT);
        CellWindowStats back = WindowSummaries.fromAvro(WindowSummaries.toAvro(empty), LAYOUT);
        assertEquals(WindowSummaries.toAvro(empty), WindowSummaries.toAvro(back));
        assertEquals(false, back.hasRunRange());
    }

    @Test
    void aSummaryWithoutFeatureHistogramsCountsNoFeatures() {
        WindowSummary avro = WindowSummaries.toAvro(new CellWindowStats(0, 1, "c", Strata.UNKNOWN, "v", "t", LAYOUT));
        avro.setFeatureHistograms(Map.of());
        assertEquals(0L, java.util.Arrays.stream(WindowSummaries.fromAvro(avro, LAYOUT).featureHistograms()).sum());
    }

    @Test
    void summariesThatDoNotFitTheLayoutAreRefusedWithTheReason() {
        WindowSummary avro = WindowSummaries.toAvro(new CellWindowStats(0, 1, "c", Strata.UNKNOWN, "v", "t", LAYOUT));
        SummaryLayout fewerBins = new SummaryLayout(LAYOUT.workingPoints(), 10, LAYOUT.binning());
        assertEquals("window summary of cell c from t p-value histogram has 20 bins, expected 10",
                assertThrows(IllegalArgumentException.class, () -> WindowSummaries.fromAvro(avro, fewerBins)).getMessage());
        SummaryLayout otherPoints = new SummaryLayout(List.of("loose"), 20, LAYOUT.binning());
        assertEquals("window summary of cell c from t counts flags of unknown working point medium, expected [loose]",
                assertThrows(IllegalArgumentException.class, () -> WindowSummaries.fromAvro(avro, otherPoints))
                        .getMessage());
        SummaryLayout noFeatures = new SummaryLayout(LAYOUT.workingPoints(), 20, FeatureBinning.none());
        assertThrows(IllegalArgumentException.class, () -> WindowSummaries.fromAvro(avro, noFeatures));
    }
}
