package org.oddity.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.RunConditions;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.config.PValueMode;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.metrics.CellCounters;
import org.oddity.model.ActiveModel;
import org.oddity.model.ScoringModel;
import org.oddity.score.Scorer;

/**
 * Decodes, validates, scores and calibrates each event; forwards flagged events to the
 * anomalies sink and everything it cannot score to the dead-letter sink, with the reason and
 * the original bytes. Once a second it also reports refused model candidates as alerts.
 *
 * <p>The hot path reuses the decoded event object and the feature array and allocates only
 * for flagged events and dead letters; the per-cell counters are array slots, not lookups.
 * The model is read once per event from {@link ActiveModel}, so a hot swap falls between two
 * events and every output carries the version that scored it.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private static final Duration ALERT_CHECK_INTERVAL = Duration.ofSeconds(1);

    /** Alert kind of a refused model candidate. */
    static final String MODEL_REFUSED = "MODEL_REFUSED";

    private final ActiveModel active;
    private final int topFeatures;
    private final CellCounters counters;
    private final boolean randomized;
    private final long seed;
    private final Clock clock;
    private final AvroCodec<CollisionEvent> codec;

    private ProcessorContext<byte[], SpecificRecord> context;
    private CellScheme cells;
    private ScoringModel model;
    private Scorer scorer;
    private FeatureExtractor extractor;
    private float[] features;
    private double[] contributions;
    private boolean[] taken;
    private CollisionEvent reuse;
    private SplittableRandom random;

    ScoringProcessor(ActiveModel active, int topFeatures, CellCounters counters, PValueMode mode, long seed,
            Clock clock, AvroCodec<CollisionEvent> codec) {
        this.active = active;
        this.topFeatures = topFeatures;
        this.counters = counters;
        this.randomized = mode == PValueMode.RANDOMIZED;
        this.seed = seed;
        this.clock = clock;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        adopt(active.current());
        // One stream per task, so a task's draws repeat whatever else runs in the instance.
        this.random = new SplittableRandom(seed * 31 + context.taskId().hashCode());
        context.schedule(ALERT_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> reportRefusals());
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
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, FailureStage.DECODE, "record has no value");
            return;
        }
        CollisionEvent event;
        try {
            event = codec.decode(record.value(), reuse);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            reuse = null;
            deadLetter(record, FailureStage.DECODE, "not a CollisionEvent in Avro single-object encoding: "
                    + e.getMessage());
            return;
        }
        reuse = event;
        ScoringModel current = active.current();
        if (current != model) {
            adopt(current);
        }
        RunConditions conditions = event.getConditions();
        if (conditions == null) {
            deadLetter(record, FailureStage.VALIDATE, "event has no run conditions");
            return;
        }
        int cell = cells.finestCellOf(conditions);
        if (cell < 0) {
            deadLetter(record, FailureStage.VALIDATE, "run conditions lack a valid " + cells.missingField(conditions));
            return;
        }
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
        ResolvedCell calibration = model.table().cellFor(cell);
        double p = randomized ? calibration.set().randomizedPValue(score, random.nextDouble())
                : calibration.set().pValue(score);
        int passed = model.workingPoints().tightestPassed(p);
        counters.scored(cell, passed >= 0, score > model.globalThreshold());
        if (passed >= 0) {
            context.forward(record.withValue(flagged(event, calibration, score, p,
                    model.workingPoints().loosestFirst().get(passed))), AnomalyTopology.ANOMALIES);
        }
    }

    private FlaggedEvent flagged(CollisionEvent event, ResolvedCell calibration, double score, double p,
            WorkingPoint point) {
        return FlaggedEvent.newBuilder()
                .setRun(event.getRun())
                .setLumisection(event.getLumisection())
                .setEvent(event.getEvent())
                .setTimestampNanos(event.getTimestampNanos())
                .setBunchCrossing(event.getBunchCrossing())
                .setCell(calibration.used())
                .setRequestedCell(calibration.requested())
                .setCalibrationSize(calibration.set().size())
                .setScore(score)
                .setPValue(p)
                .setWorkingPoint(point.name())
                .setAlpha(point.alpha())
                .setModelName(model.bundle().manifest().name())
                .setModelVersion(model.bundle().version())
                .setFlaggedAtMillis(clock.millis())
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

    /** Forwards every refusal not yet reported as a MODEL_REFUSED alert; each goes out from one task only. */
    private void reportRefusals() {
        for (ActiveModel.Refusal r = active.nextRefusal(); r != null; r = active.nextRefusal()) {
            long nanos = r.refusedAtMillis() * 1_000_000L;
            DriftAlert alert = DriftAlert.newBuilder()
                    .setKind(MODEL_REFUSED)
                    .setState(AlertState.RAISED)
                    .setSeverity("critical")
                    .setCell(CellScheme.GLOBAL)
                    .setStatistic("bundle verification")
                    .setStatisticValue(0)
                    .setRawPValue(0)
                    .setCorrectedPValue(0)
                    .setObserved(0)
                    .setExpected(0)
                    .setWindowStartNanos(nanos)
                    .setWindowEndNanos(nanos)
                    .setFirstRun(0)
                    .setFirstLumisection(0)
                    .setLastRun(0)
                    .setLastLumisection(0)
                    .setMessage("model " + r.modelName() + " " + r.modelVersion() + " refused, still scoring with "
                            + active.current().bundle().version() + ": " + r.reason())
                    .setRaisedAtMillis(r.refusedAtMillis())
                    .build();
            String key = MODEL_REFUSED + "|" + CellScheme.GLOBAL + "|" + r.modelName() + "@" + r.modelVersion();
            context.forward(new Record<byte[], SpecificRecord>(key.getBytes(StandardCharsets.UTF_8), alert,
                    r.refusedAtMillis()), AnomalyTopology.ALERTS);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, FailureStage stage, String reason) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setTopic(metadata == null ? "" : metadata.topic())
                .setPartition(metadata == null ? -1 : metadata.partition())
                .setOffset(metadata == null ? -1L : metadata.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setFailedAtMillis(clock.millis())
                .build();
        counters.deadLetter(stage);
        context.forward(record.withValue(letter), AnomalyTopology.DEAD_LETTERS);
    }
}
