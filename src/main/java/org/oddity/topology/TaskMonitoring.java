package org.oddity.topology;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.MonitoringSettings;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
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

    private final MonitoringSettings settings;
    private final CellCounters counters;
    private final Clock clock;
    private ProcessorContext<byte[], SpecificRecord> context;
    private String producer;
    private String version;
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
            modelChanged(model);
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
            windows = new TaskWindows(model.cells(), MonitoredModel.layout(model, settings.pValueBins()), version,
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
            byte[] key = (s.windowStartNanos() + "|" + s.cell()).getBytes(StandardCharsets.UTF_8);
            context.forward(new Record<byte[], SpecificRecord>(key, WindowSummaries.toAvro(s),
                    s.windowEndNanos() / 1_000_000L), AnomalyTopology.WINDOW_SUMMARIES);
        }
    }

    private void fail(RuntimeException e) {
        windows = null;
        counters.monitorFailure();
        LOG.error("monitoring failed in task {}, scoring goes on without it", context.taskId(), e);
        long now = clock.millis();
        context.forward(OperationalAlerts.of(OperationalAlerts.MONITOR_FAILURE, AlertState.RAISED, "critical",
                CellScheme.GLOBAL, "task " + context.taskId(), "exception", "monitoring stopped in scoring task "
                        + context.taskId() + ", which goes on scoring: " + e, now), AnomalyTopology.ALERTS);
    }
}
