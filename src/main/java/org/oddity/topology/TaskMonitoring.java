package org.oddity.topology;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.WindowSummary;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.MonitoringSettings;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.TaskWindows;
import org.oddity.monitor.WindowSummaries;
import org.oddity.pipeline.CellCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring task's share of monitoring: counts every scored event and dead letter into the
 * task's open windows and forwards each closed window's partials to the window-summaries topic.
 *
 * <p>The open windows are counted in memory and stored, changed partials only, just before each
 * commit ({@link StoredTaskWindows}); a task that starts again, here or on another instance,
 * goes on from what its last commit stored.
 *
 * <p>Monitoring never stops scoring: the first exception disables it for the task; it is logged,
 * counted, and reported once as a MONITOR_FAILURE alert. A new model version closes the open
 * windows, since a window's counts belong to one calibration and one reference binning.
 */
final class TaskMonitoring {

    private static final Logger LOG = LoggerFactory.getLogger(TaskMonitoring.class);

    private final MonitoringSettings settings;
    private final CellCounters counters;
    private final Clock clock;
    private ProcessorContext<byte[], SpecificRecord> context;
    private StoredTaskWindows stored;
    /** Stored partials of another model version, to forward once forwarding is allowed. */
    private final List<KeyValue<Bytes, WindowSummary>> otherVersions = new ArrayList<>();
    /** The MONITOR_FAILURE alert not yet forwarded. */
    private Record<byte[], SpecificRecord> failure;
    private String producer;
    private String version;
    private SummaryLayout layout;
    private TaskWindows windows;
    private Strata strata = Strata.NONE;
    /** Events counted, and their number at the last check, so the per-event path reads no clock. */
    private long events;
    private long eventsAtLastCheck;
    private long lastActiveMillis;

    TaskMonitoring(MonitoringSettings settings, CellCounters counters, Clock clock) {
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Starts monitoring for the task of {@code context}, scoring with {@code model}. Kafka Streams
     * calls this again on the same object when it revives a task (after an aborted transaction,
     * say), so it starts from the store alone and forgets what it counted before.
     */
    void init(ProcessorContext<byte[], SpecificRecord> context, ScoringModel model) {
        this.context = context;
        version = null;
        windows = null;
        otherVersions.clear();
        events = 0;
        eventsAtLastCheck = 0;
        lastActiveMillis = 0;
        // Unique per task and per start: a task moved to another instance must not be taken for a redelivery.
        this.producer = context.taskId() + "@" + UUID.randomUUID();
        if (settings.enabled()) {
            CommitTimeStore store = context.getStateStore(AnomalyTopology.TASK_WINDOWS_STORE);
            stored = new StoredTaskWindows(store, StreamsConfig.EXACTLY_ONCE_V2.equals(
                    context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
            store.beforeCommit(this::save);
            modelChanged(model);
            restore();
        }
    }

    /**
     * Takes back the open partials the task had stored at its last commit, so that a crash, a
     * rebalance or a restart neither loses nor recounts the events of its open windows. Partials
     * of another model version (the model changed while the task was away) are forwarded as they
     * are, with the first punctuation.
     */
    private void restore() {
        if (windows == null) {
            return;
        }
        try {
            StoredTaskWindows.Restored restored = stored.read(version, layout);
            windows.restore(restored.newestWindow(), restored.current());
            otherVersions.addAll(restored.other());
            if (!restored.current().isEmpty()) {
                // The idle flush must close them even if no event comes: the stream may have ended before the restart.
                lastActiveMillis = clock.millis();
            }
            // A processor may not forward while it starts: partials of another version go out with the first
            // punctuation; at least once, a partial forwarded just before a crash (stored still) goes out with the
            // first event or punctuation, and the monitor skips it as a redelivery.
        } catch (UndecodableRecordException | RuntimeException e) {
            fail(e);
        }
    }

    /** Stores the open partials changed since the last commit; runs just before each commit. */
    private void save() {
        if (windows == null) {
            return;
        }
        try {
            stored.save(windows);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Takes up {@code model}; a new version closes the open windows. */
    void modelChanged(ScoringModel model) {
        if (!settings.enabled() || model.bundle().version().equals(version) || (version != null && windows == null)) {
            return;
        }
        try {
            closeAll();
            version = model.bundle().version();
            strata = model.bundle().reference().map(ReferenceHistograms::strata).orElse(Strata.NONE);
            layout = MonitoredModel.layout(model, settings.pValueBins());
            windows = new TaskWindows(model.cells(), layout, version,
                    producer, settings.window().toNanos(), settings.graceWindows());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Counts one scored event of finest cell {@code cell} with loosest-point p-value {@code p}. */
    void event(CollisionEvent event, int cell, double p, int passedMask, float[] features) {
        if (windows == null) {
            return;
        }
        try {
            windows.addEvent(event.getTimestampNanos(), cell, strata.of(event.getConditions()), event.getRun(),
                    event.getLumisection(), p, passedMask, features);
            if (windows.hasClosed()) {
                forwardClosed();
            }
            events++;
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Counts one dead letter, in the global cell of the newest window. */
    void deadLetter() {
        if (windows == null) {
            return;
        }
        try {
            windows.addDeadLetter(Long.MIN_VALUE, -1);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Closes the open windows once the stream has been quiet for the idle-flush time, e.g. at the
     * end of a run; called about once a second. Quiet means no event since the previous call.
     */
    void punctuate(long nowMillis) {
        if (failure != null) {
            context.forward(failure, AnomalyTopology.ALERTS);
            failure = null;
        }
        if (windows == null) {
            return;
        }
        if (windows.hasClosed() || !otherVersions.isEmpty()) {
            try {
                forwardClosed();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
        if (events != eventsAtLastCheck) {
            eventsAtLastCheck = events;
            lastActiveMillis = nowMillis;
            return;
        }
        if (lastActiveMillis == 0 || nowMillis - lastActiveMillis < settings.idleFlush().toMillis()) {
            return;
        }
        try {
            closeAll();
            lastActiveMillis = 0;
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void closeAll() {
        if (windows != null) {
            windows.closeAll();
            forwardClosed();
        }
    }

    private void forwardClosed() {
        for (KeyValue<Bytes, WindowSummary> partial : otherVersions) {
            forward(partial.value);
            stored.forwarded(partial.key);
        }
        otherVersions.clear();
        for (CellWindowStats s : windows.drainClosed()) {
            forward(s);
        }
    }

    /** Sends a closed partial to the monitor and deletes it from the store. */
    private void forward(CellWindowStats s) {
        forward(WindowSummaries.toAvro(s));
        stored.forwarded(s);
    }

    private void forward(WindowSummary summary) {
        byte[] key = (summary.getWindowStartNanos() + "|" + summary.getCell()).getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<byte[], SpecificRecord>(key, summary, summary.getWindowEndNanos() / 1_000_000L),
                AnomalyTopology.WINDOW_SUMMARIES);
    }

    /** Stops monitoring for the task; the MONITOR_FAILURE alert goes out with the next punctuation. */
    private void fail(Exception e) {
        windows = null;
        counters.monitorFailure();
        LOG.error("monitoring failed in task {}, scoring goes on without it", context.taskId(), e);
        failure = OperationalAlerts.of(OperationalAlerts.MONITOR_FAILURE, AlertState.RAISED, "critical",
                CellScheme.GLOBAL, "task " + context.taskId(), "exception", "monitoring stopped in scoring task "
                        + context.taskId() + ", which goes on scoring: " + e, clock.millis());
    }
}
