package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.avro.WindowSummary;

/** Counting events into a window summary, merging partials in any order and grouping, and redeliveries. */
class CellWindowStatsTest {

    static final FeatureBinning BINNING = FeatureBinning.fit(BackgroundFeatures.NAMES,
            BackgroundFeatures.sample(new SplittableRandom(1L), 5_000), 20);
    static final SummaryLayout LAYOUT = new SummaryLayout(List.of("loose", "medium", "tight"),
            SummaryLayout.DEFAULT_P_VALUE_BINS, BINNING);
    private static final double[] ALPHAS = {1e-2, 1e-3, 1e-4};

    @Test
    void countsFlagsPValueBinsFeaturesAndTheRunRange() {
        SummaryLayout layout = new SummaryLayout(List.of("loose", "tight"), 4,
                new FeatureBinning(List.of("x"), List.of(new float[] {1f})));
        CellWindowStats stats = new CellWindowStats(10, 20, "cell", Strata.UNKNOWN, "v1", "task-0", layout);
        assertFalse(stats.hasRunRange());
        stats.addEvent(7, 30, 0.0, 0b01, new float[] {0f});
        stats.addEvent(6, 99, 0.30, 0b11, new float[] {0.5f});
        stats.addEvent(7, 2, 1.0, 0, new float[] {3f});
        stats.addEvent(8, 1, Double.NaN, 0b100, null);
        stats.addEvent(8, 0, 1.5, 0, new float[] {1f, 2f});
        stats.addDeadLetter();
        assertEquals(5, stats.events());
        assertEquals(1, stats.deadLetters());
        // Bit 2 names no working point of this layout and is ignored.
        assertArrayEquals(new long[] {2, 1}, stats.flagged());
        // p = 0 in bin 0, 0.3 in bin 1, 1.0 in the last bin; NaN and 1.5 are left out.
        assertArrayEquals(new long[] {1, 1, 0, 1}, stats.pValueHistogram());
        // Zero, below 1, at or above 1; the null and the two-value vectors are left out.
        assertArrayEquals(new long[] {1, 1, 1}, stats.featureHistograms());
        assertTrue(stats.hasRunRange());
        assertEquals(6, stats.firstRun());
        assertEquals(99, stats.firstLumisection());
        assertEquals(8, stats.lastRun());
        assertEquals(1, stats.lastLumisection());
    }

    @Test
    void mergingPartialsInAnyOrderAndGroupingEqualsCountingAllEventsInOne() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int producers = 2 + random.nextInt(7);
            CellWindowStats all = new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1", "all", LAYOUT);
            List<CellWindowStats> partials = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                partials.add(new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1", "task-" + i, LAYOUT));
            }
            float[] row = new float[BINNING.features()];
            for (int e = 0; e < 3_000; e++) {
                CellWindowStats partial = partials.get(random.nextInt(producers));
                if (random.nextInt(50) == 0) {
                    all.addDeadLetter();
                    partial.addDeadLetter();
                    continue;
                }
                long run = 300 + random.nextInt(3);
                int lumisection = 1 + random.nextInt(40);
                double p = random.nextDouble();
                int mask = 0;
                for (int k = 0; k < ALPHAS.length; k++) {
                    mask |= p <= ALPHAS[k] ? 1 << k : 0;
                }
                BackgroundFeatures.draw(random, 0.0, row);
                all.addEvent(run, lumisection, p, mask, row);
                partial.addEvent(run, lumisection, p, mask, row);
            }
            WindowSummary expected = normalized(all);
            assertEquals(expected, normalized(leftFold(shuffled(partials, random))), "seed " + seed + " left fold");
            assertEquals(expected, normalized(randomTree(shuffled(partials, random), random)), "seed " + seed + " tree");
        }
    }

    @Test
    void aRedeliveredPartialIsSkippedAndAPartlyOverlappingOneRefused() {
        CellWindowStats a = partialWithOneEvent("task-a");
        CellWindowStats b = partialWithOneEvent("task-b");
        CellWindowStats c = partialWithOneEvent("task-c");
        CellWindowStats merged = partialWithOneEvent("task-a");
        assertTrue(merged.merge(b));
        assertFalse(merged.merge(b));
        assertFalse(merged.merge(a));
        assertFalse(merged.merge(merged));
        assertEquals(2, merged.events());
        assertEquals(List.of("task-a", "task-b"), List.copyOf(merged.producers()));
        CellWindowStats bc = partialWithOneEvent("task-b");
        bc.merge(c);
        assertThrows(IllegalArgumentException.class, () -> merged.merge(bc));
        assertEquals(2, merged.events());
    }

    @Test
    void partialsOfAnotherWindowCellModelOrLayoutAreRefused() {
        CellWindowStats stats = partialWithOneEvent("task-a");
        assertThrows(IllegalArgumentException.class,
                () -> stats.merge(new CellWindowStats(100, 200, "cell", Strata.UNKNOWN, "v1", "task-b", LAYOUT)));
        assertThrows(IllegalArgumentException.class,
                () -> stats.merge(new CellWindowStats(0, 100, "other", Strata.UNKNOWN, "v1", "task-b", LAYOUT)));
        assertThrows(IllegalArgumentException.class,
                () -> stats.merge(new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v2", "task-b", LAYOUT)));
        assertThrows(IllegalArgumentException.class, () -> stats.merge(new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1",
                "task-b", new SummaryLayout(LAYOUT.workingPoints(), 10, BINNING))));
        assertThrows(IllegalArgumentException.class, () -> new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1", "a,b", LAYOUT));
    }

    @Test
    void countingAnEventAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CellWindowStats stats = new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1", "task", LAYOUT);
        float[][] rows = new float[64][BINNING.features()];
        SplittableRandom random = new SplittableRandom(5L);
        for (float[] row : rows) {
            BackgroundFeatures.draw(random, 0.0, row);
        }
        // Warm up the loop first, so that compiling it does not count against the measured run.
        for (int run = 0; run < 5; run++) {
            addEvents(stats, rows, 200_000);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        addEvents(stats, rows, 200_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 200 000 addEvent calls");
        assertEquals(1_200_000, stats.events());
    }

    private static void addEvents(CellWindowStats stats, float[][] rows, int count) {
        for (int i = 0; i < count; i++) {
            stats.addEvent(1, i & 1023, (i % 997) / 997.0, i & 7, rows[i & 63]);
        }
    }

    private static CellWindowStats partialWithOneEvent(String producer) {
        CellWindowStats s = new CellWindowStats(0, 100, "cell", Strata.UNKNOWN, "v1", producer, LAYOUT);
        s.addEvent(1, 1, 0.5, 0, new float[BINNING.features()]);
        return s;
    }

    private static WindowSummary normalized(CellWindowStats stats) {
        WindowSummary summary = WindowSummaries.toAvro(stats);
        summary.setProducer("-");
        return summary;
    }

    private static List<CellWindowStats> shuffled(List<CellWindowStats> partials, SplittableRandom random) {
        List<CellWindowStats> copy = new ArrayList<>();
        for (CellWindowStats p : partials) {
            copy.add(WindowSummaries.fromAvro(WindowSummaries.toAvro(p), LAYOUT));
        }
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            copy.set(j, copy.set(i, copy.get(j)));
        }
        return copy;
    }

    private static CellWindowStats leftFold(List<CellWindowStats> partials) {
        CellWindowStats acc = partials.get(0);
        for (int i = 1; i < partials.size(); i++) {
            assertTrue(acc.merge(partials.get(i)));
        }
        return acc;
    }

    /** Merges neighbours picked at random until one is left: every grouping is reachable. */
    private static CellWindowStats randomTree(List<CellWindowStats> partials, SplittableRandom random) {
        List<CellWindowStats> level = new ArrayList<>(partials);
        while (level.size() > 1) {
            int i = random.nextInt(level.size() - 1);
            CellWindowStats right = level.remove(i + 1);
            assertTrue(level.get(i).merge(right));
        }
        return level.get(0);
    }
}
