package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.BadRecords.Kind;
import org.oddity.fixtures.BadRecords;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.CommittedTopic;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;

/**
 * 100,000 bad records of every kind mixed into a valid stream on a real broker, under
 * exactly-once: read back with read_committed, each is a dead letter at its stage with a reason,
 * the application never stops, and every input record is flagged, scored unflagged or a dead letter.
 */
@Tag("broker")
@Tag("faults")
class InputFuzzBrokerTest {

    private static final int BAD = 100_000;
    private static final int VALID = 20_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void everyBadRecordIsADeadLetterAndEveryInputIsAccountedFor(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "fuzz-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        OdditySettings settings = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                "oddity-fuzz-" + System.nanoTime(), dir);
        CellCounters counters = ScoringApps.counters(settings);
        List<CollisionEvent> valid = new ArrayList<>();
        TrainedBundle.events(VALID, 81).forEachRemaining(valid::add);
        BadRecords bad = new BadRecords(topics.eventCodec());
        SplittableRandom random = new SplittableRandom(82);
        Map<FailureStage, Long> expected = new EnumMap<>(FailureStage.class);
        try (ScoringApplication app = ScoringApps.start(topics, settings, counters);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            int nextValid = 0;
            for (int i = 0; i < BAD; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                expected.merge(kind.stage, 1L, Long::sum);
                byte[] key = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topics.events().name(), key,
                        bad.of(kind, valid.get(random.nextInt(VALID)), random)));
                // A valid event after every five bad ones: the stream goes on between them.
                if (i % 5 == 0 && nextValid < VALID) {
                    producer.send(new ProducerRecord<>(topics.events().name(), key,
                            topics.eventCodec().encode(valid.get(nextValid++))));
                }
            }
            while (nextValid < VALID) {
                producer.send(new ProducerRecord<>(topics.events().name(), new byte[0],
                        topics.eventCodec().encode(valid.get(nextValid++))));
            }
            producer.flush();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (counters.totalEvents() + counters.totalDeadLetters() < BAD + VALID) {
                assertFalse(app.stopped(), "the application stopped");
                assertTrue(System.nanoTime() < deadline, "timed out: " + counters.totalEvents() + " scored, "
                        + counters.totalDeadLetters() + " dead letters of " + (BAD + VALID));
                Thread.sleep(50);
            }
            assertFalse(app.stopped(), "the application stopped");
        }
        Map<FailureStage, Long> seen = new EnumMap<>(FailureStage.class);
        for (DeadLetter letter : CommittedTopic.read(kafka.clientSettings(), topics.deadLetters())) {
            assertFalse(letter.getReason().isBlank(), "a dead letter without a reason");
            seen.merge(letter.getStage(), 1L, Long::sum);
        }
        long flagged = CommittedTopic.read(kafka.clientSettings(), topics.anomalies()).size();
        System.out.printf("fuzz: %,d bad and %,d valid records; dead letters %s; flagged %,d; scored %,d%n", BAD,
                VALID, seen, flagged, counters.totalEvents());
        assertEquals(expected, seen, "dead letters per stage, read committed");
        assertEquals(VALID, counters.totalEvents(), "every valid event scored");
        assertEquals(counters.totalFlagged(), flagged, "every flag written once");
    }
}
