package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.oddity.avro.DriftAlert;
import org.oddity.calibrate.SamplingTolerance;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * The monitor end to end on simulated windows of two cells: few false alerts on clean data
 * (bounded as its Javadoc states), each kind raised by the fault it is for, the CUSUM catching a
 * shift too small for one window, and no exception on empty, degenerate or mismatched input.
 */
class WindowMonitorTest {

    private static final WorkingPoints POINTS = new WorkingPoints(List.of(new WorkingPoint("loose", 1e-2),
            new WorkingPoint("medium", 1e-3), new WorkingPoint("tight", 1e-4)));
    private static final List<String> CELLS = List.of("pileup<30", "pileup>=30");
    private static final FeatureBinning BINNING = CellWindowStatsTest.BINNING;
    private static final SummaryLayout LAYOUT = SummaryLayout.of(POINTS, 20, BINNING);
    private static final ReferenceHistograms REFERENCE = ReferenceHistograms.fit(BINNING,
            Map.of(CELLS.get(0), BackgroundFeatures.sample(new SplittableRandom(10L), 50_000), CELLS.get(1),
                    BackgroundFeatures.sample(new SplittableRandom(11L), 50_000)));
    private static final Function<String, VersionReference> REFERENCES = v -> v.equals("v1")
            ? new VersionReference(REFERENCE, false, Map.of()) : VersionReference.NONE;
    private static final long WINDOW = 23_300_000_000L;
    private static final int EVENTS = 2_000;

    /** How one cell's events of a window depart from clean background. */
    private record Fault(double extraFlagFraction, double featureShift, int deadLetters) {
        static final Fault NONE = new Fault(0, 0, 0);
    }

    @Test
    void cleanDataRaisesNoMoreSingleWindowAlertsThanTheFalseDiscoveryRateAllows() {
        // q = 0.05 over the m = 2 x (3 + 1 + 3) + 1 = 15 tests of a window: P(V >= 1) <= q per window, and a
        // window has a firing single-window test exactly when it gives a RAISED or ONGOING update of one.
        MonitorSettings settings = new MonitorSettings(0.05, Correction.BENJAMINI_HOCHBERG, 1e-3, 3, 0.5, 12, 1e-6, 5);
        WindowMonitor monitor = new WindowMonitor(POINTS, settings, REFERENCES);
        SplittableRandom random = new SplittableRandom(2024L);
        int windows = 150;
        int windowsWithDiscoveries = 0;
        int cusumRaised = 0;
        for (int w = 0; w < windows; w++) {
            boolean discovery = false;
            for (AlertUpdate u : monitor.evaluate(start(w), start(w) + WINDOW, window(w, random, Fault.NONE, Fault.NONE))) {
                boolean cusum = u.kind() == AlertKind.FLAG_RATE_CUSUM || u.kind() == AlertKind.FEATURE_SHIFT_CUSUM;
                discovery |= !cusum && u.state() != AlertState.CLEARED;
                cusumRaised += cusum && u.state() == AlertState.RAISED ? 1 : 0;
            }
            windowsWithDiscoveries += discovery ? 1 : 0;
        }
        int upper = SamplingTolerance.binomialUpper(windows, 0.05, 1e-6);
        assertTrue(windowsWithDiscoveries <= upper, windowsWithDiscoveries + " of " + windows
                + " clean windows had a discovery, at most " + upper + " allowed");
        // 8 charts, each signalling within 150 windows with probability 1.5e-4 at h = 12.
        double perChart = new CusumRunLength(0.5, 12, 0).signalledWithin(windows);
        int cusumUpper = SamplingTolerance.binomialUpper(2 * (1 + BINNING.features()), perChart, 1e-6);
        assertTrue(cusumRaised <= cusumUpper, cusumRaised + " CUSUM alerts on clean data, at most " + cusumUpper);
    }

    @Test
    void aFlagExcessRaisesACriticalFlagRateAlertThatClearsAfterThreeQuietWindows() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        SplittableRandom random = new SplittableRandom(3L);
        AlertKey key = new AlertKey(AlertKind.FLAG_RATE, CELLS.get(0), null);
        List<AlertUpdate> first = monitor.evaluate(start(0), start(0) + WINDOW,
                window(0, random, new Fault(0.03, 0, 0), Fault.NONE));
        AlertUpdate raised = only(first, key);
        assertEquals(AlertState.RAISED, raised.state());
        assertEquals(Severity.CRITICAL, raised.severity());
        assertEquals("exact binomial P(X >= x) at loose", raised.statistic());
        assertEquals(EVENTS * 0.01, raised.expected(), 1e-9);
        assertTrue(raised.observed() > 3 * raised.expected(), "observed " + raised.observed());
        assertEquals(raised.observed(), raised.statisticValue());
        assertEquals(BinomialTest.upperTail((long) raised.observed(), EVENTS, 0.01), raised.rawPValue(), 0.0);
        assertTrue(raised.correctedPValue() >= raised.rawPValue() && raised.correctedPValue() <= 1e-6);
        assertEquals(start(0), raised.windowStartNanos());
        assertEquals(start(0) + WINDOW, raised.raisedAtNanos());
        assertEquals(355_000L, raised.firstRun());
        assertEquals(1, raised.firstLumisection());
        assertEquals(1, raised.lastLumisection());
        assertTrue(raised.message().startsWith("cell pileup<30: "), raised.message());
        List<String> states = new ArrayList<>();
        for (int w = 1; w <= 4; w++) {
            for (AlertUpdate u : monitor.evaluate(start(w), start(w) + WINDOW, window(w, random, Fault.NONE, Fault.NONE))) {
                if (u.key().equals(key)) {
                    states.add(w + ":" + u.state() + ":" + u.severity());
                }
            }
        }
        assertEquals(List.of("3:CLEARED:INFO"), states);
    }

    @Test
    void aShiftedFeatureRaisesItsFeatureShiftAlertAndLeadsTheTopFeatures() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        SplittableRandom random = new SplittableRandom(4L);
        List<AlertUpdate> updates = monitor.evaluate(start(0), start(0) + WINDOW,
                window(0, random, Fault.NONE, new Fault(0, 0.5, 0)));
        AlertUpdate shift = only(updates, new AlertKey(AlertKind.FEATURE_SHIFT, CELLS.get(1), "met_pt"));
        assertEquals(AlertState.RAISED, shift.state());
        assertEquals("met_pt", shift.topFeatures().get(0));
        assertEquals("likelihood-ratio G vs reference", shift.statistic());
        assertTrue(shift.message().contains("most off:"), shift.message());
        assertEquals(List.of(), keysOfKind(updates, AlertKind.FEATURE_SHIFT, CELLS.get(0)));
        // While the single-window alert reports the shift, its CUSUM chart is held at 0 and raises nothing.
        AlertKey cusum = new AlertKey(AlertKind.FEATURE_SHIFT_CUSUM, CELLS.get(1), "met_pt");
        assertFalse(updates.stream().anyMatch(u -> u.key().equals(cusum)));
        List<AlertUpdate> second = monitor.evaluate(start(1), start(1) + WINDOW,
                window(1, random, Fault.NONE, new Fault(0, 0.5, 0)));
        assertEquals(AlertState.ONGOING, only(second, shift.key()).state());
        assertFalse(second.stream().anyMatch(u -> u.key().equals(cusum)), keys(second).toString());
    }

    @Test
    void aMonitorRestoredFromAnothersStateGoesOnExactlyAsIt() {
        WindowMonitor original = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        List<List<CellWindowStats>> windows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(12L);
        for (int w = 0; w < 10; w++) {
            Fault fault = w >= 2 && w < 5 ? new Fault(0.01, 0.5, 0) : Fault.NONE;
            windows.add(window(w, random, Fault.NONE, fault));
        }
        List<AlertUpdate> raised = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            raised.addAll(original.evaluate(start(w), start(w) + WINDOW, windows.get(w)));
        }
        assertTrue(raised.stream().anyMatch(u -> u.state() == AlertState.RAISED), keys(raised).toString());
        WindowMonitor restored = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        restored.restore(original.state());
        List<AlertUpdate> cleared = new ArrayList<>();
        for (int w = 5; w < 10; w++) {
            List<AlertUpdate> expected = original.evaluate(start(w), start(w) + WINDOW, windows.get(w));
            assertEquals(expected, restored.evaluate(start(w), start(w) + WINDOW, windows.get(w)), "window " + w);
            cleared.addAll(expected);
        }
        assertTrue(cleared.stream().anyMatch(u -> u.state() == AlertState.CLEARED), keys(cleared).toString());
        // A redelivered window already tested before the state was taken gives nothing.
        assertEquals(List.of(), restored.evaluate(start(4), start(4) + WINDOW, windows.get(4)));
        assertThrows(IllegalArgumentException.class, () -> restored.restore(new byte[] {0, 0, 0, 9}));
        assertThrows(IllegalArgumentException.class, () -> restored.restore(java.util.Arrays.copyOf(original.state(), 20)));
    }

    @Test
    void deadLettersAboveTheToleratedRateRaiseInputErrors() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        List<AlertUpdate> updates = monitor.evaluate(start(0), start(0) + WINDOW,
                window(0, new SplittableRandom(5L), new Fault(0, 0, 20), new Fault(0, 0, 10)));
        AlertUpdate errors = only(updates, new AlertKey(AlertKind.INPUT_ERRORS, "global", null));
        assertEquals(30.0, errors.observed());
        assertEquals((2 * EVENTS + 30) * 1e-3, errors.expected(), 1e-9);
        assertEquals(BinomialTest.upperTail(30, 2 * EVENTS + 30, 1e-3), errors.rawPValue(), 0.0);
        assertEquals(List.of(), errors.topFeatures());
    }

    @Test
    void theCusumCatchesAFlagExcessTooSmallForAnyOneWindow() {
        // Exactly 25 of 2000 events flagged at loose every window, 20 expected: one window's P(X >= 25) is
        // about 0.16, far from significant, but the chart adds z - k every window and signals when it passes h.
        MonitorSettings settings = MonitorSettings.defaults();
        WindowMonitor monitor = new WindowMonitor(POINTS, settings, REFERENCES);
        double step = Cusum.score(BinomialTest.upperMidP(25, EVENTS, 0.01)) - settings.cusumK();
        int signalWindow = (int) Math.floor(settings.cusumH() / step);
        assertTrue(signalWindow > 10 && signalWindow < 40, "signals in window " + signalWindow);
        SplittableRandom random = new SplittableRandom(6L);
        AlertKey chart = new AlertKey(AlertKind.FLAG_RATE_CUSUM, CELLS.get(0), null);
        List<String> seen = new ArrayList<>();
        for (int w = 0; w <= signalWindow + 1; w++) {
            CellWindowStats excess = gridWindow(w, 25, random);
            for (AlertUpdate u : monitor.evaluate(start(w), start(w) + WINDOW, List.of(excess))) {
                if (u.kind() == AlertKind.FLAG_RATE || u.key().equals(chart)) {
                    seen.add(w + ":" + u.kind() + ":" + u.state());
                }
            }
        }
        assertEquals(List.of(signalWindow + ":FLAG_RATE_CUSUM:RAISED", (signalWindow + 1) + ":FLAG_RATE_CUSUM:ONGOING"),
                seen);
    }

    @Test
    void emptyDegenerateAndMismatchedWindowsGiveNoExceptionAndOnlyTheTestsThatCanRun() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        assertEquals(List.of(), monitor.evaluate(start(0), start(0) + WINDOW, List.of()));
        // Zero events, one dead letter: only INPUT_ERRORS runs, and 1 of 1 records is far above 1e-3.
        CellWindowStats deadOnly = new CellWindowStats(start(1), start(1) + WINDOW, "global", Strata.UNKNOWN, "v1", "t", LAYOUT);
        deadOnly.addDeadLetter();
        List<AlertUpdate> updates = monitor.evaluate(start(1), start(1) + WINDOW, List.of(deadOnly));
        assertEquals(List.of(new AlertKey(AlertKind.INPUT_ERRORS, "global", null)), keys(updates));
        assertEquals(0L, updates.get(0).firstRun());
        // NaN p-values, no features, a model without reference, a summary of another window: nothing to test.
        CellWindowStats degenerate = new CellWindowStats(start(2), start(2) + WINDOW, CELLS.get(0), Strata.UNKNOWN, "v2", "t", LAYOUT);
        for (int i = 0; i < 100; i++) {
            degenerate.addEvent(1, 1, Double.NaN, 0, null);
        }
        CellWindowStats otherWindow = new CellWindowStats(start(1), start(1) + WINDOW, CELLS.get(1), Strata.UNKNOWN, "v1", "t", LAYOUT);
        otherWindow.addEvent(1, 1, 1e-9, 0b111, new float[BINNING.features()]);
        assertEquals(List.of(), keysOfKindOtherThan(monitor.evaluate(start(2), start(2) + WINDOW,
                List.of(degenerate, otherWindow)), AlertKind.INPUT_ERRORS));
        // Other working points than the monitor's: the flag rate is not tested, the rest is.
        CellWindowStats otherPoints = new CellWindowStats(start(3), start(3) + WINDOW, CELLS.get(0), Strata.UNKNOWN, "v1", "t",
                new SummaryLayout(List.of("a", "b", "c"), 20, BINNING));
        for (int i = 0; i < 1000; i++) {
            otherPoints.addEvent(1, 1, 1e-9, 0b111, new float[BINNING.features()]);
        }
        List<AlertUpdate> mismatched = monitor.evaluate(start(3), start(3) + WINDOW, List.of(otherPoints));
        assertEquals(List.of(), keysOfKind(mismatched, AlertKind.FLAG_RATE, CELLS.get(0)));
        assertEquals(1, keysOfKind(mismatched, AlertKind.P_UNIFORMITY, CELLS.get(0)).size());
        // A window at or before the last one evaluated is a redelivery: no update at all.
        assertEquals(List.of(), monitor.evaluate(start(3), start(3) + WINDOW, List.of(otherPoints)));
        assertEquals(List.of(), monitor.evaluate(start(2), start(2) + WINDOW, List.of(otherPoints)));
    }

    @Test
    void theSameWindowsInAnyOrderOfSummariesGiveTheSameUpdates() {
        WindowMonitor a = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        WindowMonitor b = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        SplittableRandom random = new SplittableRandom(8L);
        List<AlertUpdate> all = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            Fault fault = w < 3 ? new Fault(0.02, 0.1, 15) : Fault.NONE;
            List<CellWindowStats> cells = window(w, random, fault, Fault.NONE);
            List<AlertUpdate> fromA = a.evaluate(start(w), start(w) + WINDOW, cells);
            List<CellWindowStats> reversed = new ArrayList<>(cells);
            Collections.reverse(reversed);
            assertEquals(fromA, b.evaluate(start(w), start(w) + WINDOW, reversed));
            all.addAll(fromA);
        }
        assertTrue(all.size() > 5, "updates " + all);
    }

    @Test
    void bonferroniMultipliesByTheNumberOfTestsThatRan() {
        MonitorSettings settings = new MonitorSettings(1e-3, Correction.BONFERRONI, 1e-3, 3, 0.5, 12, 1e-6, 5);
        WindowMonitor monitor = new WindowMonitor(POINTS, settings, REFERENCES);
        List<AlertUpdate> updates = monitor.evaluate(start(0), start(0) + WINDOW,
                window(0, new SplittableRandom(9L), new Fault(0.03, 0, 0), Fault.NONE));
        AlertUpdate flags = only(updates, new AlertKey(AlertKind.FLAG_RATE, CELLS.get(0), null));
        assertEquals(Math.min(1.0, 15 * flags.rawPValue()), flags.correctedPValue(), 1e-12 * flags.correctedPValue());
        assertTrue(flags.message().contains("Bonferroni-corrected"), flags.message());
    }

    @Test
    void aModelSwappedMidWindowTestsTheLargerSummaryAndCountsAllDeadLetters() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        CellWindowStats before = new CellWindowStats(start(0), start(0) + WINDOW, CELLS.get(0), Strata.UNKNOWN, "v1", "t", LAYOUT);
        CellWindowStats after = new CellWindowStats(start(0), start(0) + WINDOW, CELLS.get(0), Strata.UNKNOWN, "v2", "t", LAYOUT);
        for (int i = 0; i < 500; i++) {
            before.addEvent(1, 1, 0.001, 0b1, null);
        }
        for (int i = 0; i < 50; i++) {
            after.addEvent(1, 2, 0.5, 0, null);
        }
        for (int i = 0; i < 6; i++) {
            after.addDeadLetter();
        }
        List<AlertUpdate> updates = monitor.evaluate(start(0), start(0) + WINDOW, List.of(after, before));
        assertEquals(500.0, only(updates, new AlertKey(AlertKind.FLAG_RATE, CELLS.get(0), null)).observed());
        assertEquals(6.0, only(updates, new AlertKey(AlertKind.INPUT_ERRORS, "global", null)).observed());
    }

    @Test
    void updatesMapToDriftAlerts() {
        WindowMonitor monitor = new WindowMonitor(POINTS, MonitorSettings.defaults(), REFERENCES);
        AlertUpdate u = only(monitor.evaluate(start(0), start(0) + WINDOW,
                window(0, new SplittableRandom(3L), new Fault(0.03, 0, 0), Fault.NONE)),
                new AlertKey(AlertKind.FLAG_RATE, CELLS.get(0), null));
        DriftAlert alert = DriftAlerts.toAvro(u);
        assertEquals("FLAG_RATE", alert.getKind());
        assertEquals(org.oddity.avro.AlertState.RAISED, alert.getState());
        assertEquals("critical", alert.getSeverity());
        assertEquals(null, alert.getFeature());
        assertEquals(u.rawPValue(), alert.getRawPValue());
        assertEquals((start(0) + WINDOW) / 1_000_000L, alert.getRaisedAtMillis());
        assertEquals(u.topFeatures(), alert.getTopFeatures());
    }

    private static long start(int window) {
        return 1_700_000_000_000_000_000L + window * WINDOW;
    }

    /**
     * One merged window of both cells, each from two producers. Events have uniform p-values (plus,
     * for a flag fault, a fraction more with p uniform below the loosest alpha), features drawn like
     * the reference (met_pt scaled up by the feature fault), and the fault's dead letters.
     */
    private static List<CellWindowStats> window(int w, SplittableRandom random, Fault first, Fault second) {
        List<CellWindowStats> out = new ArrayList<>();
        for (int c = 0; c < CELLS.size(); c++) {
            Fault fault = c == 0 ? first : second;
            CellWindowStats merged = new CellWindowStats(start(w), start(w) + WINDOW, CELLS.get(c), Strata.UNKNOWN, "v1", "task-0",
                    LAYOUT);
            CellWindowStats other = new CellWindowStats(start(w), start(w) + WINDOW, CELLS.get(c), Strata.UNKNOWN, "v1", "task-1",
                    LAYOUT);
            float[] row = new float[BINNING.features()];
            for (int e = 0; e < EVENTS; e++) {
                double p = random.nextDouble() < fault.extraFlagFraction() ? 0.01 * random.nextDouble()
                        : random.nextDouble();
                BackgroundFeatures.draw(random, fault.featureShift(), row);
                (e % 2 == 0 ? merged : other).addEvent(355_000, 1 + w, p, maskOf(p), row);
            }
            for (int d = 0; d < fault.deadLetters(); d++) {
                other.addDeadLetter();
            }
            merged.merge(other);
            out.add(merged);
        }
        return out;
    }

    /** Cell 0 alone, with exactly {@code flagged} events at p = 0.005 and the rest on an even grid above 0.01. */
    private static CellWindowStats gridWindow(int w, int flagged, SplittableRandom random) {
        CellWindowStats stats = new CellWindowStats(start(w), start(w) + WINDOW, CELLS.get(0), Strata.UNKNOWN, "v1", "task-0", LAYOUT);
        float[] row = new float[BINNING.features()];
        for (int e = 0; e < EVENTS; e++) {
            double p = e < flagged ? 0.005 : 0.01 + 0.99 * (e - flagged + 0.5) / (EVENTS - flagged);
            BackgroundFeatures.draw(random, 0.0, row);
            stats.addEvent(355_000, 1 + w, p, maskOf(p), row);
        }
        return stats;
    }

    private static int maskOf(double p) {
        int mask = 0;
        for (int k = 0; k < POINTS.size(); k++) {
            mask |= p <= POINTS.alpha(k) ? 1 << k : 0;
        }
        return mask;
    }

    private static AlertUpdate only(List<AlertUpdate> updates, AlertKey key) {
        List<AlertUpdate> matching = updates.stream().filter(u -> u.key().equals(key)).toList();
        assertEquals(1, matching.size(), key + " in " + keys(updates));
        return matching.get(0);
    }

    private static List<AlertKey> keys(List<AlertUpdate> updates) {
        return updates.stream().map(AlertUpdate::key).toList();
    }

    private static List<AlertKey> keysOfKind(List<AlertUpdate> updates, AlertKind kind, String cell) {
        return updates.stream().map(AlertUpdate::key).filter(k -> k.kind() == kind && k.cell().equals(cell)).toList();
    }

    private static List<AlertKey> keysOfKindOtherThan(List<AlertUpdate> updates, AlertKind kind) {
        return updates.stream().map(AlertUpdate::key).filter(k -> k.kind() != kind).toList();
    }
}
