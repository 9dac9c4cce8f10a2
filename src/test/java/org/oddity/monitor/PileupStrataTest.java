package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.oddity.avro.RunConditions;
import org.oddity.calibrate.SamplingTolerance;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * Windows compared with the reference stratum by stratum of pileup. In one cell spanning ten
 * units of pileup, the background's features and p-values change with pileup, as they do in the
 * detector: a clean window at one pileup then raises no more alerts than the false discovery
 * rate allows (within an exact binomial bound at tail mass 1e-6), where the same reference without
 * strata alerts on most of them; and a real shift is still found.
 */
class PileupStrataTest {

    private static final WorkingPoints POINTS = new WorkingPoints(List.of(new WorkingPoint("loose", 1e-2),
            new WorkingPoint("medium", 1e-3), new WorkingPoint("tight", 1e-4)));
    private static final String CELL = "30<=pileup<40";
    private static final FeatureBinning BINNING = CellWindowStatsTest.BINNING;
    private static final SummaryLayout LAYOUT = SummaryLayout.of(POINTS, 20, BINNING);
    private static final long WINDOW = 23_300_000_000L;
    private static final int STRATA = 10;
    private static final int REFERENCE_PER_STRATUM = 30_000;
    private static final int EVENTS = 3_000;
    private static final MonitorSettings SETTINGS =
            new MonitorSettings(0.05, Correction.BENJAMINI_HOCHBERG, 1e-3, 3, 0.5, 12, 1e-6, 5);
    private static final Map<String, boolean[]> OWN = Map.of(CELL, new boolean[] {true, true, true});

    @Test
    void eventsFallInUnitsOfPileup() {
        assertEquals(31, Strata.PILEUP_UNITS.of(new RunConditions(31.9f, 1f, "ALL_IN", Map.of())));
        assertEquals(Strata.UNKNOWN, Strata.PILEUP_UNITS.of(new RunConditions(null, 1f, "ALL_IN", Map.of())));
        assertEquals(Strata.UNKNOWN, Strata.NONE.of(new RunConditions(31.9f, 1f, "ALL_IN", Map.of())));
        assertEquals("31<=pileup<32", Strata.PILEUP_UNITS.label(31));
    }

    @Test
    void cleanWindowsAtOnePileupMatchTheirStratumButNotTheWholeCell() {
        ReferenceHistograms stratified = reference(new SplittableRandom(7L));
        ReferenceHistograms pooled = new ReferenceHistograms(BINNING, Map.of(CELL, pooledCounts(stratified)));
        WindowMonitor byStratum = new WindowMonitor(POINTS, SETTINGS, v -> new VersionReference(stratified, false, OWN));
        WindowMonitor wholeCell = new WindowMonitor(POINTS, SETTINGS, v -> new VersionReference(pooled, false, OWN));
        SplittableRandom random = new SplittableRandom(2026L);
        int windows = 120;
        int stratifiedDiscoveries = 0;
        int pooledDiscoveries = 0;
        for (int w = 0; w < windows; w++) {
            int stratum = 30 + w % STRATA;
            List<CellWindowStats> window = List.of(window(w, stratum, random, 0.0));
            stratifiedDiscoveries += discovery(byStratum.evaluate(start(w), start(w) + WINDOW, window)) ? 1 : 0;
            pooledDiscoveries += discovery(wholeCell.evaluate(start(w), start(w) + WINDOW, window)) ? 1 : 0;
        }
        int upper = SamplingTolerance.binomialUpper(windows, SETTINGS.falseDiscoveryRate(), 1e-6);
        assertTrue(stratifiedDiscoveries <= upper, stratifiedDiscoveries + " of " + windows
                + " clean windows had a discovery against the strata, at most " + upper + " allowed");
        assertTrue(pooledDiscoveries > windows / 2, "against the whole cell only " + pooledDiscoveries + " of "
                + windows + " clean windows had a discovery");
    }

    @Test
    void aShiftedFeatureIsFoundAgainstItsStratum() {
        ReferenceHistograms stratified = reference(new SplittableRandom(8L));
        WindowMonitor monitor = new WindowMonitor(POINTS, SETTINGS, v -> new VersionReference(stratified, false, OWN));
        SplittableRandom random = new SplittableRandom(9L);
        List<AlertUpdate> updates = monitor.evaluate(start(0), start(0) + WINDOW, List.of(window(0, 33, random, 0.15)));
        AlertUpdate shift = updates.stream().filter(u -> u.kind() == AlertKind.FEATURE_SHIFT).findFirst().orElseThrow();
        assertEquals(BINNING.featureNames().get(0), shift.feature());
        assertEquals(AlertState.RAISED, shift.state());
    }

    /** Met scale grows 3% per unit of pileup, and small p-values grow more likely: p = u^gamma, gamma falling with pileup. */
    private static double scaleShift(int stratum) {
        return 0.03 * (stratum - 35);
    }

    private static double gamma(int stratum) {
        return 1.0 + 0.03 * (35 - stratum);
    }

    private static ReferenceHistograms reference(SplittableRandom random) {
        Map<Integer, ReferenceHistograms.Stratum> strata = new TreeMap<>();
        float[] row = new float[BINNING.features()];
        for (int s = 30; s < 30 + STRATA; s++) {
            long[] features = new long[BINNING.totalSlots()];
            long[] p = new long[PValueGrid.bins()];
            for (int i = 0; i < REFERENCE_PER_STRATUM; i++) {
                BackgroundFeatures.draw(random, scaleShift(s), row);
                for (int f = 0; f < row.length; f++) {
                    features[BINNING.slotStart(f) + BINNING.slotOf(f, row[f])]++;
                }
                p[PValueGrid.binOf(Math.pow(random.nextDouble(), gamma(s)))]++;
            }
            strata.put(s, new ReferenceHistograms.Stratum(REFERENCE_PER_STRATUM, features, p, p.clone()));
        }
        return new ReferenceHistograms(BINNING, Strata.PILEUP_UNITS, Map.of(CELL, strata));
    }

    private static long[] pooledCounts(ReferenceHistograms stratified) {
        long[] counts = new long[BINNING.totalSlots()];
        for (int slot = 0; slot < counts.length; slot++) {
            counts[slot] = stratified.count(CELL, slot);
        }
        return counts;
    }

    private static CellWindowStats window(int w, int stratum, SplittableRandom random, double extraShift) {
        CellWindowStats stats = new CellWindowStats(start(w), start(w) + WINDOW, CELL, stratum, "v1", "task-0", LAYOUT);
        float[] row = new float[BINNING.features()];
        for (int e = 0; e < EVENTS; e++) {
            BackgroundFeatures.draw(random, scaleShift(stratum) + extraShift, row);
            double p = Math.pow(random.nextDouble(), gamma(stratum));
            int mask = 0;
            for (int k = 0; k < POINTS.size(); k++) {
                mask |= p <= POINTS.alpha(k) ? 1 << k : 0;
            }
            stats.addEvent(355_000, 1 + w, p, mask, row);
        }
        return stats;
    }

    private static boolean discovery(List<AlertUpdate> updates) {
        List<AlertUpdate> firing = new ArrayList<>();
        for (AlertUpdate u : updates) {
            boolean cusum = u.kind() == AlertKind.FLAG_RATE_CUSUM || u.kind() == AlertKind.FEATURE_SHIFT_CUSUM;
            if (!cusum && u.state() != AlertState.CLEARED) {
                firing.add(u);
            }
        }
        return !firing.isEmpty();
    }

    private static long start(int window) {
        return 1_700_000_000_000_000_000L + window * WINDOW;
    }
}
