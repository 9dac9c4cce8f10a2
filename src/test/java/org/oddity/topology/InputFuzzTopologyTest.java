package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureVector;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * 100,000 bad records of every kind mixed into a valid stream on the real scoring topology: each
 * is a dead letter at its stage with a reason, none stops processing, events with thousands of
 * objects are scored as fast as others, and every input is scored or a dead letter.
 */
class InputFuzzTopologyTest {

    private static final int BAD = 100_000;
    private static final int VALID = 2_000;
    private static final int HUGE = 50;

    private final OdditySettings settings = TrainedBundle.defaultSettings();
    private final Topics topics = Topics.withPrefix("");
    private final AvroCodec<CollisionEvent> codec = topics.eventCodec();

    /** One kind of bad record and the stage it must reach the dead letters at. */
    private enum Kind {
        RANDOM_BYTES(FailureStage.DECODE),
        TRUNCATED(FailureStage.DECODE),
        WRONG_FINGERPRINT(FailureStage.DECODE),
        OTHER_RECORD_TYPE(FailureStage.DECODE),
        NO_VALUE(FailureStage.DECODE),
        NAN_MET(FailureStage.VALIDATE),
        INFINITE_JET(FailureStage.VALIDATE),
        NEGATIVE_PT(FailureStage.VALIDATE),
        NO_CONDITIONS(FailureStage.VALIDATE),
        NAN_PILEUP(FailureStage.VALIDATE),
        FEATURE_VECTOR_ONLY(FailureStage.EXTRACT);

        final FailureStage stage;

        Kind(FailureStage stage) {
            this.stage = stage;
        }
    }

    @Test
    void everyBadRecordIsADeadLetterAtItsStageAndEveryInputIsAccountedFor() {
        List<CollisionEvent> valid = new ArrayList<>();
        TrainedBundle.events(VALID + HUGE, 71).forEachRemaining(valid::add);
        SplittableRandom random = new SplittableRandom(72);
        byte[] otherType = AvroSerde.of(FlaggedEvent.class).codec().encode(FlaggedEvent.newBuilder()
                .setRun(1).setLumisection(1).setEvent(1).setTimestampNanos(1).setBunchCrossing(1).setCell("c")
                .setRequestedCell("c").setCalibrationSize(1).setCalibrationSource("bundle").setScore(1).setPValue(1)
                .setWorkingPoint("loose").setAlpha(0.01).setModelName("m").setModelVersion("v").setFlaggedAtMillis(1)
                .setTopFeatures(List.of()).setTruth(null).build());
        Map<FailureStage, Long> expected = new EnumMap<>(FailureStage.class);

        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings,
                new ActiveModel(TrainedBundle.model(settings), counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.systemUTC()), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topics.events().name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], DeadLetter> deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                    new ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer());
            TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
            int nextValid = 0;
            Map<FailureStage, Long> seen = new EnumMap<>(FailureStage.class);
            long flagged = 0;
            for (int i = 0; i < BAD; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                expected.merge(kind.stage, 1L, Long::sum);
                CollisionEvent base = valid.get(random.nextInt(VALID));
                input.pipeInput(new byte[] {(byte) i}, bad(kind, base, otherType, random));
                // A valid event after every 50 bad ones: the stream goes on between them.
                if (i % 50 == 0 && nextValid < VALID) {
                    input.pipeInput(new byte[0], codec.encode(valid.get(nextValid++)));
                }
                if (i % 10_000 == 9_999) {
                    for (DeadLetter letter : deadLetters.readValuesToList()) {
                        assertFalse(letter.getReason().isBlank());
                        seen.merge(letter.getStage(), 1L, Long::sum);
                    }
                    flagged += anomalies.readValuesToList().size();
                }
            }
            while (nextValid < VALID) {
                input.pipeInput(new byte[0], codec.encode(valid.get(nextValid++)));
            }
            for (int h = 0; h < HUGE; h++) {
                input.pipeInput(new byte[0], codec.encode(withJets(valid.get(VALID + h), 20_000, random)));
            }
            for (DeadLetter letter : deadLetters.readValuesToList()) {
                assertFalse(letter.getReason().isBlank());
                seen.merge(letter.getStage(), 1L, Long::sum);
            }
            flagged += anomalies.readValuesToList().size();

            assertEquals(expected, seen, "dead letters per stage");
            assertEquals(VALID + HUGE, counters.totalEvents(), "every valid event scored, the huge ones too");
            assertEquals(BAD, counters.totalDeadLetters());
            assertEquals(counters.totalFlagged(), flagged);
        }
    }

    private byte[] bad(Kind kind, CollisionEvent base, byte[] otherType, SplittableRandom random) {
        return switch (kind) {
            case RANDOM_BYTES -> {
                byte[] b = new byte[random.nextInt(400)];
                random.nextBytes(b);
                yield b;
            }
            case TRUNCATED -> {
                byte[] encoded = codec.encode(base);
                yield Arrays.copyOf(encoded, random.nextInt(encoded.length));
            }
            case WRONG_FINGERPRINT -> {
                byte[] encoded = codec.encode(base);
                encoded[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
                yield encoded;
            }
            case OTHER_RECORD_TYPE -> otherType;
            case NO_VALUE -> null;
            case NAN_MET -> codec.encode(withObjects(base, TriggerObjects.newBuilder(base.getObjects())
                    .setMetPt(Float.NaN).build()));
            case INFINITE_JET -> codec.encode(withJets(base, 1, random, Float.POSITIVE_INFINITY));
            case NEGATIVE_PT -> codec.encode(withJets(base, 1, random, -5f));
            case NO_CONDITIONS -> codec.encode(CollisionEvent.newBuilder(base).setConditions(null).build());
            case NAN_PILEUP -> codec.encode(CollisionEvent.newBuilder(base).setConditions(RunConditions
                    .newBuilder(base.getConditions()).setPileup(Float.NaN).build()).build());
            case FEATURE_VECTOR_ONLY -> codec.encode(CollisionEvent.newBuilder(base).setObjects(null)
                    .setFeatures(new FeatureVector("other-layout", List.of(1f, 2f, 3f))).build());
        };
    }

    private static CollisionEvent withObjects(CollisionEvent base, TriggerObjects objects) {
        return CollisionEvent.newBuilder(base).setObjects(objects).build();
    }

    /** {@code base} with {@code n} more jets in random pt order. */
    private static CollisionEvent withJets(CollisionEvent base, int n, SplittableRandom random) {
        List<PhysicsObject> jets = new ArrayList<>(base.getObjects().getJets());
        for (int i = 0; i < n; i++) {
            jets.add(new PhysicsObject((float) (15 + 100 * random.nextDouble()), (float) random.nextDouble(-3, 3),
                    (float) random.nextDouble(-Math.PI, Math.PI)));
        }
        return withObjects(base, TriggerObjects.newBuilder(base.getObjects()).setJets(jets).build());
    }

    /** {@code base} with {@code n} more jets of transverse momentum {@code pt}. */
    private static CollisionEvent withJets(CollisionEvent base, int n, SplittableRandom random, float pt) {
        List<PhysicsObject> jets = new ArrayList<>(base.getObjects().getJets());
        for (int i = 0; i < n; i++) {
            jets.add(random.nextInt(jets.size() + 1), new PhysicsObject(pt, 0.5f, 1f));
        }
        return withObjects(base, TriggerObjects.newBuilder(base.getObjects()).setJets(jets).build());
    }
}
