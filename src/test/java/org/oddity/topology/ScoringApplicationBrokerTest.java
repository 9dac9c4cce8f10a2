package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.BadEventInjector;
import org.oddity.testing.KafkaFixture;

/**
 * The scoring application on a real broker: simulated events with malformed records mixed in go
 * through Kafka Streams; every flag and dead letter is read back from its topic, and inputs =
 * flagged + unflagged + dead letters.
 */
@Tag("broker")
class ScoringApplicationBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void scoresEveryEventOnARealBrokerAndLosesNothing(@TempDir Path work) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "it-" + System.nanoTime() + ".";
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "oddity-it-" + System.nanoTime(),
                "topics.prefix", prefix,
                "work.dir", work.toString(),
                // The stream thread's process total below counts every record it processes; with
                // monitoring on, the window summaries would count too (MonitoringMergeBrokerTest has them).
                "monitor.enabled", "false")));
        Topics topics = Topics.withPrefix(prefix);
        kafka.createTopics(2, topics.scoringTopicNames().toArray(String[]::new));
        ScoringModel model = TrainedBundle.model(settings);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        int events = 20_000;
        BadEventInjector injector = new BadEventInjector(topics.eventCodec()::encode, 0.01, 3);

        Map<String, Integer> flaggedByKey = new ConcurrentHashMap<>();
        Map<FailureStage, Integer> deadByStage = new EnumMap<>(FailureStage.class);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ScoringApplication app = ScoringApplication.start(topics, settings,
                new ActiveModel(model, counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), registry);
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            long sent = publisher.publish(TrainedBundle.events(events, 77), 0, injector, () -> false);
            assertEquals(events, sent);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (counters.totalEvents() + counters.totalDeadLetters() < sent && System.nanoTime() < deadline) {
                assertFalse(app.stopped(), "application stopped: " + app.state());
                Thread.sleep(100);
            }
            assertEquals(sent, counters.totalEvents() + counters.totalDeadLetters());
            // Kafka Streams' own client metrics are bound: its thread counted every record processed.
            FunctionCounter processed = registry.get("kafka.stream.thread.process.total").functionCounter();
            while (processed.count() < sent && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(sent, processed.count());
            String scrape = registry.scrape();
            assertTrue(scrape.contains("\nkafka_stream_thread_process_total{"), "the scrape shows them too");
            assertTrue(scrape.contains("\nkafka_consumer_fetch_manager_records_consumed_total{"), scrape);
        }

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topics.anomalies().name(), 0),
                    new TopicPartition(topics.anomalies().name(), 1), new TopicPartition(topics.deadLetters().name(), 0),
                    new TopicPartition(topics.deadLetters().name(), 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.anomalies().name())) {
                        FlaggedEvent f = topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        assertEquals(model.bundle().version(), f.getModelVersion());
                        assertTrue(f.getPValue() <= settings.calibration().workingPoints().loosest().alpha());
                        flaggedByKey.merge(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), 1, Integer::sum);
                    } else {
                        DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value());
                        assertFalse(d.getReason().isBlank());
                        assertEquals(topics.events().name(), d.getTopic());
                        deadByStage.merge(d.getStage(), 1, Integer::sum);
                    }
                }
            }
        }
        int dead = deadByStage.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(injector.injected(), dead, "every malformed record is a dead letter");
        assertEquals(Set.of(FailureStage.DECODE, FailureStage.VALIDATE), deadByStage.keySet());
        assertEquals(counters.totalFlagged(), flaggedByKey.size(), "every flag reached the topic exactly once");
        assertTrue(flaggedByKey.values().stream().allMatch(n -> n == 1));
        assertEquals(events, flaggedByKey.size() + (counters.totalEvents() - counters.totalFlagged()) + dead);
        double alpha = settings.calibration().workingPoints().loosest().alpha();
        double rate = counters.totalFlagged() / (double) counters.totalEvents();
        double sigma = Math.sqrt(alpha * (1 - alpha) * (1.0 / counters.totalEvents()
                + 1.0 / TrainedBundle.CALIBRATION_EVENTS));
        assertTrue(Math.abs(rate - alpha) < 5 * sigma, "flag rate " + rate);
    }
}
