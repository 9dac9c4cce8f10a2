package org.oddity.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.WindowSummary;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.MonitoringSettings;
import org.oddity.monitor.AlertUpdate;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.DriftAlerts;
import org.oddity.monitor.ModelVersions;
import org.oddity.monitor.OpenWindows;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.WindowCompletion;
import org.oddity.monitor.WindowMonitor;
import org.oddity.monitor.WindowSummaries;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream monitor: merges the partial window summaries of every scoring task and
 * instance by (window, cell, stratum, model version) into {@link OpenWindows}, and once a window
 * is complete ({@link WindowCompletion}) tests it with the {@link WindowMonitor}, forwarding the
 * alert updates. The summaries topic has one partition, so one task sees every window, in order,
 * and keeps the alert lifecycle and CUSUM charts. A summary of a window already tested arrives
 * too late and is counted, not merged. As in scoring, an exception here never stops the
 * application: it is logged, counted and alerted once, and the monitor goes on with the next
 * window.
 *
 * <p>State: each partial is written to the {@link MonitorStore} as it is merged, and the
 * monitor's state as each window is tested; on start the merger merges the stored partials
 * again and takes up the monitor's state, so a task moved to another instance completes its
 * open windows and still clears its open alerts. Partials of a model version that is no longer
 * running when the task restores are dropped.
 */
final class WindowMerger implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowMerger.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Model versions whose layout and reference are kept, for summaries arriving after a swap. */
    private static final int VERSIONS_KEPT = 4;

    private final ActiveModel active;
    private final MonitoringSettings settings;
    private final boolean randomized;
    private final CellCounters counters;
    private final Clock clock;
    private final AvroCodec<WindowSummary> codec;
    private final ModelVersions versions = new ModelVersions(VERSIONS_KEPT);
    private final OpenWindows open = new OpenWindows();
    private final WindowCompletion completion;
    private ProcessorContext<byte[], SpecificRecord> context;
    private MonitorStore store;
    private WindowMonitor monitor;
    private ScoringModel seen;
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
        this.completion = new WindowCompletion(settings.idleFlush());
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        this.monitor = new WindowMonitor(active.current().workingPoints(), settings.tests(), versions::reference);
        this.store = new MonitorStore(context.getStateStore(AnomalyTopology.MONITOR_STORE));
        restore();
        context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> flushIfIdle());
    }

    /** Takes up the open windows and monitor state the store holds, from this task's earlier life. */
    private void restore() {
        try {
            byte[] state = store.monitorState();
            if (state != null) {
                monitor.restore(state);
                completion.tested(monitor.lastWindowStartNanos());
            }
            rememberCurrentModel();
            int restored = 0;
            List<String> dropped = new ArrayList<>();
            for (KeyValue<String, byte[]> entry : store.partials()) {
                WindowSummary summary = codec.decode(entry.value, null);
                SummaryLayout layout = versions.layout(summary.getModelVersion());
                if (layout == null) {
                    dropped.add(entry.key);
                    continue;
                }
                open.add(WindowSummaries.fromAvro(summary, layout));
                restored++;
            }
            dropped.forEach(store::delete);
            if (restored > 0) {
                // The restored windows' tasks restart too and send their partials again: quiet is counted from
                // now, or the idle flush would test those windows before the partials are back.
                completion.summaryArrived(clock.millis());
            }
            if (state != null || restored > 0) {
                LOG.info("window monitor restored: {} open partials, last window tested {}, {} partials of other model"
                        + " versions dropped", restored, monitor.lastWindowStartNanos(), dropped.size());
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        completion.summaryArrived(clock.millis());
        try {
            merge(record.value());
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void merge(byte[] value) throws IOException {
        rememberCurrentModel();
        WindowSummary summary = codec.decode(value, null);
        SummaryLayout layout = versions.layout(summary.getModelVersion());
        if (layout == null) {
            throw new IllegalArgumentException("window summary of unknown model version " + summary.getModelVersion());
        }
        if (completion.late(summary.getWindowStartNanos())) {
            counters.lateSummary();
            return;
        }
        CellWindowStats partial = WindowSummaries.fromAvro(summary, layout);
        if (!open.add(partial)) {
            return;
        }
        // The partial as it arrived: restoring merges the window's partials again.
        store.putPartial(partial, summary.getProducer(), value);
        long completeBefore = completion.published(partial.producers(), partial.windowStartNanos(), clock.millis());
        while (open.hasWindowBefore(completeBefore)) {
            test(open.pollOldest());
        }
    }

    /**
     * Keeps the layout and reference of the running model's version, for the summaries it
     * produces; a new calibration of the same version (online sets arriving) renews where each
     * cell's p-values come from.
     */
    private void rememberCurrentModel() {
        ScoringModel current = active.current();
        if (current != seen) {
            seen = current;
            versions.put(current.bundle().version(), MonitoredModel.layout(current, settings.pValueBins()),
                    MonitoredModel.reference(current, randomized));
        }
    }

    private void flushIfIdle() {
        if (open.isEmpty() || !completion.quiet(clock.millis())) {
            return;
        }
        try {
            while (!open.isEmpty()) {
                test(open.pollOldest());
            }
            completion.streamEnded();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void test(List<CellWindowStats> cells) {
        CellWindowStats any = cells.get(0);
        completion.tested(any.windowStartNanos());
        store.deleteWindow(any.windowStartNanos());
        counters.windowTested(cells.stream().mapToLong(CellWindowStats::events).sum());
        for (AlertUpdate update : monitor.evaluate(any.windowStartNanos(), any.windowEndNanos(), cells)) {
            String key = update.kind() + "|" + update.cell() + "|" + (update.feature() == null ? "" : update.feature());
            context.forward(new Record<byte[], SpecificRecord>(key.getBytes(StandardCharsets.UTF_8),
                    DriftAlerts.toAvro(update), update.windowEndNanos() / 1_000_000L), AnomalyTopology.MONITOR_ALERTS);
        }
        store.putMonitorState(monitor.state());
    }

    private void fail(Exception e) {
        counters.monitorFailure();
        LOG.error("window monitor failed; scoring goes on", e);
        if (!failureReported) {
            failureReported = true;
            long now = clock.millis();
            context.forward(OperationalAlerts.of(OperationalAlerts.MONITOR_FAILURE, AlertState.RAISED, "critical",
                    CellScheme.GLOBAL, "window monitor", "exception", "the window monitor failed, scoring goes on: "
                            + e, now), AnomalyTopology.MONITOR_ALERTS);
        }
    }
}
