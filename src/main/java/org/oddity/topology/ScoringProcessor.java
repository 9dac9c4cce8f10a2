package org.oddity.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.OnlineCalibration;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.config.MonitoringSettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.metrics.SampledTimer;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.score.Scorer;

/**
 * Decodes, validates, scores and calibrates each event; forwards flagged events to the
 * anomalies sink and everything it cannot score to the dead-letter sink, with the reason and
 * the original bytes. Once a second it also reports refused model candidates and stale online
 * calibration as alerts.
 *
 * <p>The hot path reuses the decoded event object and the feature array and allocates only
 * for flagged events and dead letters; the per-cell counters are array slots, not lookups.
 * Scoring latency is timed on one event in {@link ScoringLatencies#sampleEvery()}: two clock
 * reads and a histogram update, about 70 ns, would add a sixth to the path on every event.
 * The model is read once per event from {@link ActiveModel}, so a hot swap falls between two
 * events and every output carries the version that scored it.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private static final Duration ALERT_CHECK_INTERVAL = Duration.ofSeconds(1);


    private final ActiveModel active;
    private final int topFeatures;
    private final CellCounters counters;
    private final ScoringLatencies latencies;
    private final SampledTimer scoringTimer;
    private final boolean randomized;
    private final long seed;
    private final Clock clock;
    private final EventIntake intake;
    private final Duration maxCalibrationAge;
    private final TaskMonitoring monitoring;

    private ProcessorContext<byte[], SpecificRecord> context;
    private CellScheme cells;
    private ScoringModel model;
    private Scorer scorer;
    private FeatureExtractor extractor;
    private float[] features;
    private double[] contributions;
    private double[] pValues;
    private boolean[] taken;
    private SplittableRandom random;

    ScoringProcessor(ActiveModel active, int topFeatures, CellCounters counters, ScoringLatencies latencies,
            PValueMode mode, long seed, Duration maxCalibrationAge, MonitoringSettings monitoring, Clock clock,
            AvroCodec<CollisionEvent> codec) {
        this.active = active;
        this.topFeatures = topFeatures;
        this.counters = counters;
        this.latencies = latencies;
        this.scoringTimer = latencies.newScoringTimer();
        this.randomized = mode == PValueMode.RANDOMIZED;
        this.seed = seed;
        this.clock = clock;
        this.intake = new EventIntake(codec);
        this.maxCalibrationAge = maxCalibrationAge;
        this.monitoring = new TaskMonitoring(monitoring, counters, clock);
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        adopt(active.current());
        // One stream per task, so a task's draws repeat whatever else runs in the instance.
        this.random = new SplittableRandom(seed * 31 + context.taskId().hashCode());
        monitoring.init(context, model);
        context.schedule(ALERT_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            reportModelAlerts();
            monitoring.punctuate(clock.millis());
        });
    }

    /** Takes up {@code next} for the events from now on: its extractor (per task) and scratch arrays. */
    private void adopt(ScoringModel next) {
        model = next;
        cells = next.cells();
        scorer = next.bundle().scorer();
        extractor = next.bundle().newExtractor();
        features = new float[extractor.featureNames().size()];
        contributions = scorer.explainsFeatures() && topFeatures > 0 ? new double[features.length] : null;
        taken = new boolean[features.length];
        pValues = new double[next.workingPoints().size()];
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        CollisionEvent event = intake.decode(record.value());
        if (event == null) {
            deadLetter(record, intake.failedStage(), intake.failure());
            return;
        }
        ScoringModel current = active.current();
        if (current != model) {
            adopt(current);
            monitoring.modelChanged(current);
        }
        int cell = intake.finestCell(event, cells);
        if (cell < 0) {
            deadLetter(record, intake.failedStage(), intake.failure());
            return;
        }
        long started = scoringTimer.start();
        try {
            extractor.extract(event, features);
        } catch (InvalidEventException e) {
            deadLetter(record, FailureStage.VALIDATE, e.getMessage());
            return;
        }
        double score = scorer.score(features);
        if (Double.isNaN(score)) {
            deadLetter(record, FailureStage.SCORE, "model " + model.bundle().version() + " gave a NaN score");
            return;
        }
        double uniform = randomized ? random.nextDouble() : 0;
        CalibrationTable table = model.table();
        WorkingPoints points = model.workingPoints();
        table.pValues(cell, score, uniform, randomized, pValues);
        int passedMask = 0;
        int tightest = -1;
        for (int k = 0; k < pValues.length; k++) {
            if (pValues[k] <= points.alpha(k)) {
                passedMask |= 1 << k;
                tightest = k;
            }
        }
        scoringTimer.stop(started);
        counters.scored(cell, passedMask, score > model.globalThreshold());
        monitoring.event(event, cell, pValues[0], passedMask, features);
        if (tightest >= 0) {
            Instant now = clock.instant();
            context.forward(record.withValue(flagged(event, table.cellFor(cell, tightest), score, pValues[tightest],
                    points.loosestFirst().get(tightest), now.toEpochMilli())), AnomalyTopology.ANOMALIES);
            latencies.flag().record(now.getEpochSecond() * 1_000_000_000L + now.getNano() - event.getTimestampNanos());
        }
    }

    private FlaggedEvent flagged(CollisionEvent event, ResolvedCell calibration, double score, double p,
            WorkingPoint point, long flaggedAtMillis) {
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
                .setScore(score)
                .setPValue(p)
                .setWorkingPoint(point.name())
                .setAlpha(point.alpha())
                .setModelName(model.bundle().manifest().name())
                .setModelVersion(model.bundle().version())
                .setFlaggedAtMillis(flaggedAtMillis)
                .setTopFeatures(contributions == null ? List.of() : topContributions())
                .setTruth(event.getTruth())
                .build();
    }

    /** The {@code topFeatures} largest per-feature contributions to the score of {@link #features}, largest first. */
    private List<FeatureContribution> topContributions() {
        scorer.contributions(features, contributions);
        List<String> names = extractor.featureNames();
        int k = Math.min(topFeatures, contributions.length);
        List<FeatureContribution> top = new ArrayList<>(k);
        // k is small: k passes over the features cost less than sorting them.
        Arrays.fill(taken, false);
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int i = 0; i < contributions.length; i++) {
                if (!taken[i] && (best < 0 || contributions[i] > contributions[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new FeatureContribution(names.get(best), contributions[best]));
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

    private void deadLetter(Record<byte[], byte[]> record, FailureStage stage, String reason) {
        counters.deadLetter(stage);
        monitoring.deadLetter();
        context.forward(record.withValue(DeadLetters.of(record, context.recordMetadata().orElse(null), stage, reason,
                clock.millis())), AnomalyTopology.DEAD_LETTERS);
    }
}
