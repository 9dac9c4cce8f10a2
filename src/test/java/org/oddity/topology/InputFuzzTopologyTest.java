package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.util.ArrayList;
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
import org.oddity.avro.FlaggedEvent;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.BadRecords.Kind;
import org.oddity.fixtures.BadRecords;
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

    @Test
    void everyBadRecordIsADeadLetterAtItsStageAndEveryInputIsAccountedFor() {
        List<CollisionEvent> valid = new ArrayList<>();
        TrainedBundle.events(VALID + HUGE, 71).forEachRemaining(valid::add);
        SplittableRandom random = new SplittableRandom(72);
        BadRecords bad = new BadRecords(codec);
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
                input.pipeInput(new byte[] {(byte) i}, bad.of(kind, base, random));
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
                input.pipeInput(new byte[0], codec.encode(BadRecords.withJets(valid.get(VALID + h), 20_000, random)));
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
}
