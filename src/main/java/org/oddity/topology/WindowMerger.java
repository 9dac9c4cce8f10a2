package org.oddity.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.oddity.avro.AlertState;
import org.oddity.avro.WindowSummary;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.config.MonitoringSettings;
import org.oddity.monitor.AlertUpdate;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.DriftAlerts;
import org.oddity.monitor.FeatureBinning;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.VersionReference;
import org.oddity.monitor.WindowMonitor;
import org.oddity.monitor.WindowSummaries;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream monitor: merges the partial window summaries of every scoring task and
 * instance by (window, cell, stratum, model version), and once a window is complete tests it with the
 * {@link WindowMonitor}, forwarding the alert updates. The summaries topic has one partition, so
 * one task sees every window, in order, and keeps the alert lifecycle and CUSUM charts.
 *
 * <p>Each task closes its windows in order and publishes all of a window's partials together, so
 * once a task has published a partial of window W, it has published everything it had before W.
 * A window is complete when every task heard from lately has published a later one (tasks
 * reading a backlog run far apart in event time), or after twice the idle-flush time without
 * any summary. For twice the idle-flush time after a stream's first summary no window is closed
 * early, so that every task can be heard from before its absence could close one; a task that
 * starts later than that (e.g. after a rebalance) may find its first partials late. A summary of a window already tested
 * arrives too late and is counted, not merged. As in scoring, an exception here never stops the
 * application: it is logged, counted and alerted once, and the monitor goes on with the next
 * window.
 *
 * <p>State: the partials of open windows, as they arrived, and the monitor's state (open alerts,
 * CUSUM sums, the last window tested) are kept in a changelogged store, written as each summary
 * is merged and each window tested; restoring merges each window's partials again. When the monitor's task moves to another instance it restores
 * them there, so open windows are completed and open alerts still clear. Partials of a model
 * version that is no longer running when the task restores are dropped.
 */
final class WindowMerger implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowMerger.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /**
     * A task silent for this many idle-flush times is taken to be gone (moved to another instance
     * under a new name, or its partition idle) and no longer holds windows open. A busy task can be
     * silent for seconds while its thread serves other tasks, so this is well above one flush.
     */
    private static final int PRODUCER_TIMEOUT_FLUSHES = 10;
    private static final String MONITOR_KEY = "monitor";
    /** Prefix of the store's keys of open windows' partials: open/START\nCELL\nSTRATUM\nVERSION\nPRODUCERS. */
    private static final String OPEN_PREFIX = "open/";
    /** Model versions whose layout and reference are kept, for summaries arriving after a swap. */
    private static final int VERSIONS_KEPT = 4;

    private record Version(SummaryLayout layout, VersionReference reference) {
    }

    private final ActiveModel active;
    private final MonitoringSettings settings;
    private final boolean randomized;
    private final CellCounters counters;
    private final Clock clock;
    private final AvroCodec<WindowSummary> codec;
    private final Map<String, Version> versions = new LinkedHashMap<>();
    private final TreeMap<Long, Map<String, CellWindowStats>> open = new TreeMap<>();
    private ProcessorContext<byte[], SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private WindowMonitor monitor;
    private ScoringModel seen;
    /** Per producing task: the start of the newest window it published, and when it was last heard from. */
    private final Map<String, long[]> producers = new HashMap<>();
    private long lastTested = Long.MIN_VALUE;
    private long lastSummaryMillis;
    /** When the first summary of the current stream arrived; 0 before it. */
    private long firstSummaryMillis;
    private boolean failureReported;

    /** @param randomized whether scoring breaks p-value ties with a uniform draw */
    WindowMerger(ActiveModel active, MonitoringSettings settings, boolean randomized, CellCounters counters,
            Clock clock, AvroCodec<WindowSummary> codec) {
        this.active = active;
        this.settings = settings;
        this.randomized = randomized;
        this.counters = counters;
        this.clock = clock;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        this.monitor = new WindowMonitor(active.current().workingPoints(), settings.tests(),
                version -> versions.containsKey(version) ? versions.get(version).reference() : VersionReference.NONE);
        this.store = context.getStateStore(AnomalyTopology.MONITOR_STORE);
        restore();
        context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> flushIfIdle());
    }

    /** Takes up the open windows and monitor state the store holds, from this task's earlier life. */
    private void restore() {
        try {
            byte[] state = store.get(MONITOR_KEY);
            if (state != null) {
                monitor.restore(state);
                lastTested = monitor.lastWindowStartNanos();
            }
            rememberCurrentModel();
            int restored = 0;
            List<String> dropped = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> all = store.prefixScan(OPEN_PREFIX, new StringSerializer())) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> entry = all.next();
                    WindowSummary summary = codec.decode(entry.value, null);
                    Version version = versions.get(summary.getModelVersion());
                    if (version == null) {
                        dropped.add(entry.key);
                        continue;
                    }
                    CellWindowStats partial = WindowSummaries.fromAvro(summary, version.layout());
                    CellWindowStats merged = open.computeIfAbsent(partial.windowStartNanos(), s -> new HashMap<>())
                            .putIfAbsent(mergeKey(partial), partial);
                    if (merged != null) {
                        merged.merge(partial);
                    }
                    restored++;
                }
            }
            dropped.forEach(store::delete);
            if (state != null || restored > 0) {
                LOG.info("window monitor restored: {} open partials, last window tested {}, {} partials of other model"
                        + " versions dropped", restored, lastTested, dropped.size());
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private static String mergeKey(CellWindowStats s) {
        return s.cell() + "\n" + s.stratum() + "\n" + s.modelVersion();
    }

    /** Prefix of the store keys of window {@code windowStart}'s partials; the newline ends the number. */
    private static String windowPrefix(long windowStart) {
        return OPEN_PREFIX + windowStart + "\n";
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        lastSummaryMillis = clock.millis();
        try {
            merge(record.value());
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void merge(byte[] value) throws IOException {
        rememberCurrentModel();
        WindowSummary summary = codec.decode(value, null);
        Version version = versions.get(summary.getModelVersion());
        if (version == null) {
            throw new IllegalArgumentException("window summary of unknown model version " + summary.getModelVersion());
        }
        long start = summary.getWindowStartNanos();
        if (start <= lastTested) {
            counters.lateSummary();
            return;
        }
        CellWindowStats partial = WindowSummaries.fromAvro(summary, version.layout());
        Map<String, CellWindowStats> window = open.computeIfAbsent(start, s -> new HashMap<>());
        String key = mergeKey(partial);
        CellWindowStats merged = window.putIfAbsent(key, partial);
        if (merged != null && !merged.merge(partial)) {
            return;
        }
        // The partial as it arrived: restoring merges the window's partials again.
        store.put(windowPrefix(start) + key + "\n" + summary.getProducer(), value);
        long now = clock.millis();
        if (firstSummaryMillis == 0) {
            firstSummaryMillis = now;
        }
        for (String producer : partial.producers()) {
            long[] progress = producers.computeIfAbsent(producer, p -> new long[] {Long.MIN_VALUE, 0});
            progress[0] = Math.max(progress[0], start);
            progress[1] = now;
        }
        // Until every task has had time to publish its first partials, none can be known to be missing.
        if (now - firstSummaryMillis < 2 * settings.idleFlush().toMillis()) {
            return;
        }
        long completeBefore = Long.MAX_VALUE;
        long heardWithin = PRODUCER_TIMEOUT_FLUSHES * settings.idleFlush().toMillis();
        for (long[] progress : producers.values()) {
            if (now - progress[1] <= heardWithin) {
                completeBefore = Math.min(completeBefore, progress[0]);
            }
        }
        while (!open.isEmpty() && open.firstKey() < completeBefore) {
            test(open.pollFirstEntry().getValue());
        }
    }

    /**
     * Keeps the layout and reference of the running model's version, for the summaries it
     * produces; a new calibration of the same version (online sets arriving) renews where each
     * cell's p-values come from.
     */
    private void rememberCurrentModel() {
        ScoringModel current = active.current();
        if (current == seen) {
            return;
        }
        seen = current;
        ModelBundle bundle = current.bundle();
        ReferenceHistograms reference = bundle.reference().orElse(null);
        FeatureBinning binning = reference == null ? FeatureBinning.none() : reference.binning();
        versions.remove(bundle.version());
        versions.put(bundle.version(), new Version(SummaryLayout.of(current.workingPoints(), settings.pValueBins(),
                binning), new VersionReference(reference, randomized, ownCalibration(current))));
        while (versions.size() > VERSIONS_KEPT) {
            versions.remove(versions.keySet().iterator().next());
        }
    }

    /** Per finest cell and working point, whether scoring uses the cell's own bundle set. */
    private static Map<String, boolean[]> ownCalibration(ScoringModel model) {
        CalibrationTable table = model.table();
        CellScheme cells = model.cells();
        Map<String, boolean[]> own = new HashMap<>();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            boolean[] points = new boolean[table.workingPoints()];
            for (int k = 0; k < points.length; k++) {
                ResolvedCell resolved = table.cellFor(c, k);
                points[k] = resolved.level() == 0 && CalibrationTable.BUNDLE.equals(resolved.source());
            }
            own.put(cells.cellName(0, c), points);
        }
        return own;
    }

    private void flushIfIdle() {
        // Twice the tasks' idle time: the tasks close their last windows after one idle-flush time of
        // quiet, and those partials must arrive before the windows they belong to are tested.
        if (open.isEmpty() || clock.millis() - lastSummaryMillis < 2 * settings.idleFlush().toMillis()) {
            return;
        }
        try {
            while (!open.isEmpty()) {
                test(open.pollFirstEntry().getValue());
            }
            producers.clear();
            firstSummaryMillis = 0;
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void test(Map<String, CellWindowStats> window) {
        List<CellWindowStats> cells = new ArrayList<>(window.values());
        CellWindowStats any = cells.get(0);
        lastTested = any.windowStartNanos();
        List<String> stored = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> partials = store.prefixScan(windowPrefix(lastTested),
                new StringSerializer())) {
            partials.forEachRemaining(entry -> stored.add(entry.key));
        }
        stored.forEach(store::delete);
        counters.windowTested(cells.stream().mapToLong(CellWindowStats::events).sum());
        for (AlertUpdate update : monitor.evaluate(any.windowStartNanos(), any.windowEndNanos(), cells)) {
            String key = update.kind() + "|" + update.cell() + "|" + (update.feature() == null ? "" : update.feature());
            context.forward(new Record<byte[], SpecificRecord>(key.getBytes(StandardCharsets.UTF_8),
                    DriftAlerts.toAvro(update), update.windowEndNanos() / 1_000_000L), AnomalyTopology.ALERTS);
        }
        store.put(MONITOR_KEY, monitor.state());
    }

    private void fail(Exception e) {
        counters.monitorFailure();
        LOG.error("window monitor failed; scoring goes on", e);
        if (!failureReported) {
            failureReported = true;
            long now = clock.millis();
            context.forward(OperationalAlerts.of(OperationalAlerts.MONITOR_FAILURE, AlertState.RAISED, "critical",
                    CellScheme.GLOBAL, "window monitor", "exception", "the window monitor failed, scoring goes on: "
                            + e, now), AnomalyTopology.ALERTS);
        }
    }
}
