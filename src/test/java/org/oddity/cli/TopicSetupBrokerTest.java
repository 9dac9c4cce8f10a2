package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.FlaggedEvent;
import org.oddity.cli.OddityCommandLineTest.Outcome;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;
import org.oddity.testing.CommittedTopic;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;

/**
 * The topics oddity creates, on a real broker: {@code oddity run} refuses, in one line, a
 * window-summaries topic of more than one partition; flagged events of a replayed old run carry
 * the time they were written, so time-based retention keeps them as long as new ones.
 */
@Tag("broker")
class TopicSetupBrokerTest {

    @Test
    void aWindowSummariesTopicOfThreePartitionsIsRefusedInOneLine() throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "shape-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        List<NewTopic> wrong = new ArrayList<>(topics.scoringTopics(2, 1).stream()
                .filter(t -> !t.name().equals(topics.windowSummaries().name())).toList());
        wrong.add(new NewTopic(topics.windowSummaries().name(), Optional.of(3), Optional.empty()));
        TopicAdmin.ensure(kafka.clientSettings(), wrong);
        Outcome outcome = OddityCommandLineTest.run("run", "--bootstrap-servers", kafka.bootstrapServers(),
                "--bundle", TrainedBundle.directory().toString(), "--set", "topics.prefix=" + prefix);
        assertEquals(1, outcome.code(), outcome.err());
        String[] lines = outcome.err().strip().split("\\R");
        assertEquals(1, lines.length, outcome.err());
        assertTrue(lines[0].startsWith("oddity: topic " + topics.windowSummaries().name() + " has 3 partitions; the"
                + " monitor needs exactly 1"), lines[0]);
    }

    @Test
    void flagsOfAnOldRunReplayedTodayAreStampedWithTodaysTime(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "replayed-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        OdditySettings settings = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                "oddity-replayed-" + System.nanoTime(), dir);
        CellCounters counters = ScoringApps.counters(settings);
        long start = System.currentTimeMillis();
        // The simulated fill starts on 1 January 2026: months before the broker's clock.
        DaqSimulator events = TrainedBundle.events(5_000, 401);
        try (ScoringApplication app = ScoringApps.start(topics, settings, counters);
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            publisher.publish(events, 0, topics.eventCodec()::encode, () -> false);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (counters.totalEvents() < 5_000 && !app.stopped() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(5_000, counters.totalEvents());
        }
        List<ConsumerRecord<byte[], byte[]>> flags = CommittedTopic.records(kafka.clientSettings(),
                topics.anomalies().name());
        assertTrue(flags.size() > 10, flags.size() + " flagged");
        for (ConsumerRecord<byte[], byte[]> r : flags) {
            assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
            assertTrue(r.timestamp() >= start, "stamped " + r.timestamp() + ", before the replay began at " + start);
            FlaggedEvent flagged = topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertTrue(flagged.getTimestampNanos() / 1_000_000 < start - Duration.ofDays(30).toMillis(),
                    "the event's own time stays in the payload: " + flagged.getTimestampNanos());
        }
    }
}
