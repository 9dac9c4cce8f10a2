package org.oddity.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.SplittableRandom;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.RunConditions;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.config.PValueMode;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.metrics.CellCounters;
import org.oddity.model.ScoringModel;
import org.oddity.score.Scorer;

/**
 * Decodes, validates, scores and calibrates each event; forwards flagged events to the
 * anomalies sink and everything it cannot score to the dead-letter sink, with the reason and
 * the original bytes.
 *
 * <p>The hot path reuses the decoded event object and the feature array and allocates only
 * for flagged events and dead letters; the per-cell counters are array slots, not lookups.
 */
final class ScoringProcessor implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private final ScoringModel model;
    private final CellCounters counters;
    private final boolean randomized;
    private final long seed;
    private final Clock clock;
    private final AvroCodec<CollisionEvent> codec;

    private ProcessorContext<byte[], SpecificRecord> context;
    private CellScheme cells;
    private Scorer scorer;
    private FeatureExtractor extractor;
    private float[] features;
    private CollisionEvent reuse;
    private SplittableRandom random;

    ScoringProcessor(ScoringModel model, CellCounters counters, PValueMode mode, long seed, Clock clock,
            AvroCodec<CollisionEvent> codec) {
        this.model = model;
        this.counters = counters;
        this.randomized = mode == PValueMode.RANDOMIZED;
        this.seed = seed;
        this.clock = clock;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        this.cells = model.cells();
        this.scorer = model.bundle().scorer();
        this.extractor = model.bundle().newExtractor();
        this.features = new float[extractor.featureNames().size()];
        // One stream per task, so a task's draws repeat whatever else runs in the instance.
        this.random = new SplittableRandom(seed * 31 + context.taskId().hashCode());
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
                .setTruth(event.getTruth())
                .build();
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
