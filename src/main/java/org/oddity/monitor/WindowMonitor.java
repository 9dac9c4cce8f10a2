package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.oddity.calibrate.WorkingPoints;

/**
 * Tests each merged window and turns the results into alert updates: the single-window tests of
 * every cell, corrected together for multiplicity, CUSUM charts across windows, and the alert
 * lifecycle. It keeps the lifecycle and the charts from one window to the next; the same windows
 * in the same order give the same updates. Not thread-safe.
 *
 * <p>Per window: for each cell, an exact one-sided test of the flags at each working point against
 * the reference's flags at the window's pileup (one-sided: a deficit shows in P_UNIFORMITY
 * instead), a likelihood-ratio G-test of homogeneity of the p-value histogram with the reference's,
 * and one of each feature's histogram with the reference's, all stratum by stratum of pileup
 * ({@link CellTests}, {@link Strata}, {@link LikelihoodRatioTest}); where the reference has no
 * p-values, the flags are tested against alpha and the p-values against uniformity (Pearson's
 * chi-square). And one exact binomial upper-tail test of all dead letters against the tolerated
 * rate (cell {@code global}: most dead letters are refused before their cell is known;
 * {@link InputErrorTest}). The
 * p-values of all these m tests form one family, corrected by {@link MonitorSettings#correction()};
 * a test fires when its corrected p-value is at most q. FLAG_RATE reports the working point with
 * the smallest corrected p-value.
 *
 * <p>Why binned tests for the p-values: summaries carry binned p-values, which rules out KS or
 * Cramer-von Mises on the values themselves. Pearson's chi-square on B equal bins, and the G-test
 * against the reference's B bins, have a plain chi-square null on at most B - 1 degrees of freedom
 * (a binned Cramer-von Mises statistic has a weighted sum of chi2(1) as its null, whose weights
 * depend on the binning), and a pile-up of small p-values shows in the first bin. Conformal
 * p-values lie on the grid j / (n_c + 1): equal bins then hold equal numbers of grid points up to
 * one, a relative error of at most B / n_c per bin, negligible for calibration sets of 10^4 events
 * and more.
 *
 * <p>CUSUM: per cell, one chart of the loosest working point's flag count (normal score of the
 * binomial mid-p value), and one chart per feature (normal score of the G-test's p-value);
 * they fire while S > h. A CUSUM alert that clears restarts its chart at 0. While the same
 * test's single-window alert fires or is open, its chart is held at 0 and does not fire: the
 * shift is reported already, and a chart that had climbed through a large shift would otherwise
 * keep firing for up to 2h / k windows after the shift ends.
 *
 * <p>Expected false alarms on clean data. Where nothing has changed every null is true (m0 = m),
 * and then the false discovery rate equals the family-wise error rate P(V >= 1) of the V false
 * discoveries of a window. Benjamini-Hochberg at q bounds it by q for independent or positively
 * dependent tests, Bonferroni for any dependence; for independent tests BH gives P(V >= 1) = q
 * and E[V] about q / (1 - q), Bonferroni E[V] = q, and the discrete binomial tests stay below.
 * A false discovery raises one alert (a repeat while it is open is only ONGOING), and clears it
 * after {@link MonitorSettings#quietWindows()} windows. The C CUSUM charts add about C / ARL0
 * false RAISED per window, ARL0 the in-control average run length ({@link Cusum}). So clean data
 * gives at most about q / (1 - q) + C / ARL0 false RAISED alerts per window. With the defaults (q
 * = 1e-3; k = 0.5, h = 12, ARL0 = 1.04e6 windows) and 8 cells of 57 features, C = 8 x 58 = 464:
 * 1.0e-3 + 4.5e-4, about one false alert in 690 windows, or every 4.5 hours of 23.3 s
 * lumisections.
 */
public final class WindowMonitor {

    private final WorkingPoints points;
    private final MonitorSettings settings;
    private final Function<String, VersionReference> references;
    private final AlertLifecycle lifecycle;
    private final Map<AlertKey, Cusum> charts = new TreeMap<>();
    private boolean started;
    private long lastWindowStartNanos;

    /**
     * @param points     the working points the summaries' pass masks refer to
     * @param references what the windows of a model version are compared with, {@link VersionReference#NONE} for nothing
     */
    public WindowMonitor(WorkingPoints points, MonitorSettings settings,
            Function<String, VersionReference> references) {
        this.points = points;
        this.settings = settings;
        this.references = references;
        this.lifecycle = new AlertLifecycle(settings.quietWindows());
    }

    /** Start of the last window evaluated, {@link Long#MIN_VALUE} before the first. */
    public long lastWindowStartNanos() {
        return started ? lastWindowStartNanos : Long.MIN_VALUE;
    }

    /** What this monitor carries from one window to the next: open alerts, CUSUM sums, the last window tested. */
    public byte[] state() {
        return MonitorState.write(started ? lastWindowStartNanos : null, lifecycle.openAlerts(), charts);
    }

    /**
     * Takes up {@code state} written by {@link #state()} of a monitor with the same settings, e.g.
     * after the monitor's task moved to another instance, so open alerts still clear and CUSUM
     * charts go on from their sums.
     *
     * @throws IllegalArgumentException if {@code state} is not such a state
     */
    public void restore(byte[] state) {
        MonitorState read = MonitorState.read(state);
        started = read.lastWindowStartNanos() != null;
        lastWindowStartNanos = started ? read.lastWindowStartNanos() : 0;
        lifecycle.openAlerts().clear();
        lifecycle.openAlerts().putAll(read.open());
        charts.clear();
        for (Map.Entry<AlertKey, Double> e : read.cusumSums().entrySet()) {
            Cusum chart = new Cusum(settings.cusumK(), settings.cusumH());
            chart.restore(e.getValue());
            charts.put(e.getKey(), chart);
        }
    }

    /**
     * The alert updates of window [start, end), given its merged summaries. Summaries of another
     * window are ignored, and so is a window that does not start after the last one evaluated (a
     * redelivery), so that no alert is updated twice in a window. Where several model versions
     * share a cell (a model swapped in mid-window), the summary with the most events is tested
     * (ties: the greater version), so each test stays on one calibration and one reference; the
     * dead letters of all of them count.
     */
    public List<AlertUpdate> evaluate(long windowStartNanos, long windowEndNanos, Collection<CellWindowStats> cells) {
        if (started && windowStartNanos <= lastWindowStartNanos) {
            return List.of();
        }
        started = true;
        lastWindowStartNanos = windowStartNanos;
        List<CellWindowStats> inWindow = cells.stream()
                .filter(s -> s.windowStartNanos() == windowStartNanos && s.windowEndNanos() == windowEndNanos)
                .toList();
        List<CellTests> tests = chosen(inWindow).values().stream().map(this::cellTests).toList();
        InputErrorTest inputErrors = InputErrorTest.run(inWindow, settings.toleratedInputErrorRate());
        List<double[]> raw = new ArrayList<>(tests.stream().map(CellTests::rawPValues).toList());
        raw.add(new double[] {inputErrors.pValue()});
        List<double[]> corrected = settings.correction().adjustTogether(raw);
        List<Finding> findings = cellFindings(tests, corrected);
        findings.addAll(inputErrors.findings(corrected.get(tests.size())[0], settings));
        return updates(lifecycle.advance(windowEndNanos, findings), windowStartNanos, windowEndNanos);
    }

    private CellTests cellTests(List<CellWindowStats> strata) {
        VersionReference reference = references.apply(strata.get(0).modelVersion());
        return CellTests.run(strata, points, reference == null ? VersionReference.NONE : reference,
                settings.topFeatures());
    }

    /**
     * The single-window findings of every cell, then their CUSUM findings: a chart is held at 0
     * while its single-window test fires in this window or its alert is open.
     *
     * @param corrected each cell's corrected p-values, in the order of {@code tests}
     */
    private List<Finding> cellFindings(List<CellTests> tests, List<double[]> corrected) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            findings.addAll(tests.get(i).findings(corrected.get(i), settings));
        }
        Set<AlertKey> reported = new HashSet<>();
        for (Finding f : findings) {
            if (f.firing()) {
                reported.add(f.key());
            }
        }
        Predicate<AlertKey> alreadyReported = key -> reported.contains(key) || lifecycle.isOpen(key);
        for (int i = 0; i < tests.size(); i++) {
            findings.addAll(tests.get(i).cusumFindings(corrected.get(i), charts, alreadyReported, settings));
        }
        return findings;
    }

    /** The alert updates of the window's transitions; a CUSUM alert that clears restarts its chart at 0. */
    private List<AlertUpdate> updates(List<AlertLifecycle.Transition> transitions, long windowStartNanos,
            long windowEndNanos) {
        List<AlertUpdate> updates = new ArrayList<>();
        for (AlertLifecycle.Transition t : transitions) {
            AlertKey key = t.finding().key();
            if (t.state() == AlertState.CLEARED && charts.containsKey(key)) {
                charts.get(key).reset();
            }
            updates.add(AlertUpdate.of(t.state(), t.finding(), windowStartNanos, windowEndNanos, t.raisedAtNanos()));
        }
        return updates;
    }

    /**
     * Per cell name, the summaries (one per stratum) of the model version with the most events in
     * the cell, ties to the greater version.
     */
    private static Map<String, List<CellWindowStats>> chosen(List<CellWindowStats> inWindow) {
        Map<String, Map<String, List<CellWindowStats>>> byCellAndVersion = new TreeMap<>();
        for (CellWindowStats s : inWindow) {
            byCellAndVersion.computeIfAbsent(s.cell(), c -> new TreeMap<>())
                    .computeIfAbsent(s.modelVersion(), v -> new ArrayList<>()).add(s);
        }
        Map<String, List<CellWindowStats>> byCell = new TreeMap<>();
        for (Map.Entry<String, Map<String, List<CellWindowStats>>> cell : byCellAndVersion.entrySet()) {
            List<CellWindowStats> best = null;
            long bestEvents = -1;
            for (List<CellWindowStats> version : cell.getValue().values()) {
                long events = version.stream().mapToLong(CellWindowStats::events).sum();
                if (events >= bestEvents) {
                    best = version;
                    bestEvents = events;
                }
            }
            byCell.put(cell.getKey(), best);
        }
        return byCell;
    }
}
