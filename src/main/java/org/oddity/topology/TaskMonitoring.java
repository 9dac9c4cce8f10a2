package org.oddity.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
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
 * <p>Monitoring never stops scoring: the first exception disables it for the task; it is logged,
 * counted, and reported once as a MONITOR_FAILURE alert. A new model version closes the open
 * windows, since a window's counts belong to one calibration and one reference binning.
 */
final class TaskMonitoring {

    private static final Logger LOG = LoggerFactory.getLogger(TaskMonitoring.class);
    private static final Bytes NEWEST_KEY = Bytes.wrap("newest".getBytes(StandardCharsets.UTF_8));
    private static final String PARTIAL_PREFIX = "open\n";

    private final MonitoringSettings settings;
    private final CellCounters counters;
    private final Clock clock;
    private final AvroCodec<WindowSummary> summaries = AvroSerde.of(WindowSummary.class).codec();
    private ProcessorContext<byte[], SpecificRecord> context;
    private KeyValueStore<Bytes, byte[]> stored;
    private long storedNewest = Long.MIN_VALUE;
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

    /** Starts monitoring for the task of {@code context}, scoring with {@code model}. */
    void init(ProcessorContext<byte[], SpecificRecord> context, ScoringModel model) {
        this.context = context;
        // Unique per task and per start: a task moved to another instance must not be taken for a redelivery.
        this.producer = context.taskId() + "@" + UUID.randomUUID();
        if (settings.enabled()) {
            CommitTimeStore store = context.getStateStore(AnomalyTopology.TASK_WINDOWS_STORE);
            stored = store.entries();
            store.beforeCommit(this::save);
            modelChanged(model);
            restore();
        }
    }

    /**
     * Takes back the open partials the task had stored at its last commit, so that a crash, a
     * rebalance or a restart neither loses nor recounts the events of its open windows. Partials
     * of another model version (the model changed while the task was away) are closed at once.
     */
    private void restore() {
        if (windows == null) {
            return;
        }
        try {
            List<CellWindowStats> current = new ArrayList<>();
            List<KeyValue<Bytes, WindowSummary>> other = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> entries = stored.prefixScan(PARTIAL_PREFIX, new StringSerializer())) {
                while (entries.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = entries.next();
                    WindowSummary summary = summaries.decode(entry.value, null);
                    if (summary.getModelVersion().equals(version)) {
                        current.add(WindowSummaries.fromAvro(summary, layout));
                    } else {
                        other.add(KeyValue.pair(entry.key, summary));
                    }
                }
            }
            byte[] newest = stored.get(NEWEST_KEY);
            storedNewest = newest == null ? Long.MIN_VALUE : ByteBuffer.wrap(newest).getLong();
            windows.restore(storedNewest, current);
            for (KeyValue<Bytes, WindowSummary> partial : other) {
                forward(partial.value);
                stored.delete(partial.key);
            }
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
            for (CellWindowStats partial : windows.drainUnsaved()) {
                stored.put(key(partial), summaries.encode(WindowSummaries.toAvro(partial)));
            }
            if (windows.newestWindow() != storedNewest) {
                storedNewest = windows.newestWindow();
                stored.put(NEWEST_KEY, ByteBuffer.allocate(Long.BYTES).putLong(storedNewest).array());
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private static Bytes key(CellWindowStats partial) {
        return Bytes.wrap((PARTIAL_PREFIX + partial.windowStartNanos() + "\n" + partial.cell() + "\n"
                + partial.stratum()).getBytes(StandardCharsets.UTF_8));
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
        if (windows == null) {
            return;
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
        for (CellWindowStats s : windows.drainClosed()) {
            forward(s);
        }
    }

    /** Sends a closed partial to the monitor and deletes it from the store, in the same transaction. */
    private void forward(CellWindowStats s) {
        forward(WindowSummaries.toAvro(s));
        stored.delete(key(s));
    }

    private void forward(WindowSummary summary) {
        byte[] key = (summary.getWindowStartNanos() + "|" + summary.getCell()).getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<byte[], SpecificRecord>(key, summary, summary.getWindowEndNanos() / 1_000_000L),
                AnomalyTopology.WINDOW_SUMMARIES);
    }

    private void fail(Exception e) {
        windows = null;
        counters.monitorFailure();
        LOG.error("monitoring failed in task {}, scoring goes on without it", context.taskId(), e);
        long now = clock.millis();
        context.forward(OperationalAlerts.of(OperationalAlerts.MONITOR_FAILURE, AlertState.RAISED, "critical",
                CellScheme.GLOBAL, "task " + context.taskId(), "exception", "monitoring stopped in scoring task "
                        + context.taskId() + ", which goes on scoring: " + e, now), AnomalyTopology.ALERTS);
    }
}
