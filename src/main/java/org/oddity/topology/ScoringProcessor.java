package org.oddity.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.OnlineCalibration;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.config.MonitoringSettings;
import org.oddity.metrics.SampledTimer;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.pipeline.EventScorer;
import org.oddity.pipeline.ScoredEvent;

/**
 * Decodes each event and scores it through {@link EventScorer}; forwards flagged events to the
 * anomalies sink and everything it cannot score to the dead-letter sink, with the stage, the
 * reason and the original bytes. Once a second it also reports refused model candidates and
 * stale online calibration as alerts.
 *
 * <p>The hot path reuses the decoded event object and the {@link ScoredEvent} scratch and
 * allocates only for flagged events and dead letters; the per-cell counters are array slots,
 * not lookups. Scoring latency is timed on one event in {@link ScoringLatencies#sampleEvery()}:
 * two clock reads and a histogram update, about 70 ns, would add a sixth to the path on every
 * event. The event scorer reads the model once per event from {@link ActiveModel}, so a hot
 * swap falls between two events and every output carries the version that scored it.
 */
final class ScoringProcessor extends EventProcessor {

    private static final Duration ALERT_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final ActiveModel active;
    private final int topFeatures;
    private final CellCounters counters;
    private final ScoringLatencies latencies;
    private final SampledTimer scoringTimer;
    private final PValueMode mode;
    private final long seed;
    private final Duration maxCalibrationAge;
    private final TaskMonitoring monitoring;
    private final ScoredEvent scored = new ScoredEvent();

    private EventScorer scorer;
    private ScoringModel model;

    ScoringProcessor(ActiveModel active, int topFeatures, CellCounters counters, ScoringLatencies latencies,
            PValueMode mode, long seed, Duration maxCalibrationAge, MonitoringSettings monitoring, Clock clock,
            AvroCodec<CollisionEvent> codec) {
        super(codec, AnomalyTopology.DEAD_LETTERS, clock);
        this.active = active;
        this.topFeatures = topFeatures;
        this.counters = counters;
        this.latencies = latencies;
        this.scoringTimer = latencies.newScoringTimer();
        this.mode = mode;
        this.seed = seed;
        this.maxCalibrationAge = maxCalibrationAge;
        this.monitoring = new TaskMonitoring(monitoring, counters, clock);
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        super.init(context);
        this.model = active.current();
        // One stream per task, so a task's draws repeat whatever else runs in the instance.
        this.scorer = EventScorer.calibrated(active, mode, new SplittableRandom(seed * 31 + context.taskId().hashCode()),
                topFeatures);
        monitoring.init(context, model);
        context.schedule(ALERT_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            reportModelAlerts();
            monitoring.punctuate(clock.millis());
        });
    }

    @Override
    void process(Record<byte[], byte[]> record, CollisionEvent event) {
        long started = scoringTimer.start();
        boolean ok = scorer.score(event, scored);
        if (scored.model() != model) {
            model = scored.model();
            monitoring.modelChanged(model);
        }
        if (!ok) {
            deadLetter(record, scored.failedStage(), scored.failure());
            return;
        }
        scoringTimer.stop(started);
        counters.scored(scored.cell(), scored.passedMask(), scored.flaggedByGlobalThreshold());
        monitoring.event(event, scored.cell(), scored.pValues()[0], scored.passedMask(), scored.features());
        if (scored.flagged()) {
            Instant now = clock.instant();
            context.forward(record.withValue(flagged(event, now.toEpochMilli())), AnomalyTopology.ANOMALIES);
            latencies.flag().record(now.getEpochSecond() * 1_000_000_000L + now.getNano() - event.getTimestampNanos());
        }
    }

    private FlaggedEvent flagged(CollisionEvent event, long flaggedAtMillis) {
        int tightest = scored.tightest();
        ResolvedCell calibration = scored.calibration(tightest);
        WorkingPoint point = model.workingPoints().loosestFirst().get(tightest);
        return FlaggedEvent.newBuilder()
                .setRun(event.getRun())
                .setLumisection(event.getLumisection())
                .setEvent(event.getEvent())
                .setTimestampNanos(event.getTimestampNanos())
                .setBunchCrossing(event.getBunchCrossing())
                .setCell(calibration.used())
                .setRequestedCell(calibration.requested())
                .setCalibrationSize(calibration.set().size())
                .setCalibrationSource(calibration.source())
                .setScore(scored.score())
                .setPValue(scored.pValues()[tightest])
                .setWorkingPoint(point.name())
                .setAlpha(point.alpha())
                .setModelName(model.bundle().manifest().name())
                .setModelVersion(model.bundle().version())
                .setFlaggedAtMillis(flaggedAtMillis)
                .setTopFeatures(topContributions())
                .setTruth(event.getTruth())
                .build();
    }

    /** The scored event's top feature contributions, largest first. */
    private List<FeatureContribution> topContributions() {
        int k = scored.topFeatureCount();
        if (k == 0) {
            return List.of();
        }
        List<String> names = scorer.featureNames();
        List<FeatureContribution> top = new ArrayList<>(k);
        for (int rank = 0; rank < k; rank++) {
            top.add(new FeatureContribution(names.get(scored.topFeatureIndex(rank)), scored.topFeatureValue(rank)));
        }
        return top;
    }

    /**
     * Forwards every refusal not yet reported as a MODEL_REFUSED alert, and every change of an
     * online cell's staleness as a CALIBRATION_STALE alert raised or cleared; each goes out from
     * one task only.
     */
    private void reportModelAlerts() {
        for (ActiveModel.Refusal r = active.nextRefusal(); r != null; r = active.nextRefusal()) {
            forwardAlert(OperationalAlerts.MODEL_REFUSED, AlertState.RAISED, "critical", CellScheme.GLOBAL,
                    r.modelName() + "@" + r.modelVersion(), "bundle verification", "model " + r.modelName() + " "
                            + r.modelVersion() + " refused, still scoring with " + active.current().bundle().version()
                            + ": " + r.reason(), r.refusedAtMillis());
        }
        if (maxCalibrationAge.isZero()) {
            return;
        }
        long now = clock.millis();
        String version = active.current().bundle().version();
        for (OnlineCalibration.StaleChange c : active.online().staleChanges(version, now, maxCalibrationAge)) {
            long ageSeconds = (now - c.newestPublishedAtMillis()) / 1000;
            forwardAlert(OperationalAlerts.CALIBRATION_STALE, c.stale() ? AlertState.RAISED : AlertState.CLEARED, "warning", c.cell(),
                    version, "calibration age", c.stale()
                            ? "online calibration of cell " + c.cell() + " for model " + version + " is " + ageSeconds
                                    + " s old, more than calibration.max-age " + maxCalibrationAge.toSeconds() + " s"
                            : "online calibration of cell " + c.cell() + " for model " + version + " is fresh again",
                    now);
        }
    }

    private void forwardAlert(String kind, AlertState state, String severity, String cell, String subject,
            String statistic, String message, long atMillis) {
        context.forward(OperationalAlerts.of(kind, state, severity, cell, subject, statistic, message, atMillis),
                AnomalyTopology.ALERTS);
    }

    /** Counts the dead letter per stage and for monitoring as well. */
    @Override
    void deadLetter(Record<byte[], byte[]> record, FailureStage stage, String reason) {
        counters.deadLetter(stage);
        monitoring.deadLetter();
        super.deadLetter(record, stage, reason);
    }
}
