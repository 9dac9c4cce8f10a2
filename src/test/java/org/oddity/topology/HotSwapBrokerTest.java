package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelAnnouncements;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.ModelPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;
import org.oddity.testing.KafkaFixture;

/**
 * Hot swap on a real broker while events stream: a new model announced mid-stream takes over
 * between two events of each partition, with no event lost or scored twice (these bundles flag
 * every event, so the anomalies topic accounts for every input); a corrupt bundle announced
 * later is refused with one MODEL_REFUSED alert and the new model keeps scoring.
 */
@Tag("broker")
class HotSwapBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int EVENTS = 15_000;
    private static final long EVENT_SEED = 61;

    @Test
    void swapsMidStreamWithoutGapOrDuplicateAndRefusesACorruptBundle(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "swap-" + System.nanoTime() + ".";
        OdditySettings settings = SwapBundles.settings(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "oddity-swap-" + System.nanoTime(),
                "topics.prefix", prefix,
                "work.dir", dir.resolve("work").toString()));
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        Path first = SwapBundles.flaggingEverything(dir.resolve("first"), 7);
        Path second = SwapBundles.flaggingEverything(dir.resolve("second"), 8);
        Path corrupt = SwapBundles.flaggingEverything(dir.resolve("corrupt"), 9);
        Files.writeString(corrupt.resolve("hbos.json"), " ", StandardOpenOption.APPEND);
        ModelBundle a = BundleReader.read(first);
        ModelBundle b = BundleReader.read(second);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(ScoringModel.of(a, settings.calibration().cells(),
                settings.calibration().workingPoints(),
                settings.calibration().minSize()), counters, settings.calibration().minSize());

        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (ScoringApplication app = ScoringApplication.start(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), new SimpleMeterRegistry());
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            BooleanSupplier halt = app::stopped;
            // 3,000 events/s for 5 s: the announcements land while events are flowing.
            Future<Long> sent = sender.submit(() -> publisher.publish(TrainedBundle.events(EVENTS, EVENT_SEED), 3_000,
                    topics.eventCodec()::encode, halt));
            awaitScored(counters, app, 4_000);
            ModelPublisher.publish(kafka.clientSettings(), topics.models(),
                    ModelAnnouncements.of(second, second.toString(), System.currentTimeMillis()));
            awaitScored(counters, app, 9_000);
            ModelPublisher.publish(kafka.clientSettings(), topics.models(),
                    ModelAnnouncements.of(corrupt, null, System.currentTimeMillis()));
            assertEquals(EVENTS, sent.get());
            awaitScored(counters, app, EVENTS);
            assertEquals(b.version(), active.current().bundle().version());
        } finally {
            sender.shutdownNow();
        }

        Map<TopicPartition, List<FlaggedEvent>> flagged = new HashMap<>();
        List<DriftAlert> alerts = new ArrayList<>();
        readAll(kafka, topics, flagged, alerts);
        Map<Long, float[]> features = new HashMap<>();
        FeatureExtractor extractor = a.newExtractor();
        DaqSimulator events = TrainedBundle.events(EVENTS, EVENT_SEED);
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            float[] x = new float[57];
            extractor.extract(e, x);
            features.put(e.getEvent(), x);
        }
        Map<Long, Integer> seen = new HashMap<>();
        int scoredByFirst = 0;
        int scoredBySecond = 0;
        for (List<FlaggedEvent> partition : flagged.values()) {
            boolean switched = false;
            for (FlaggedEvent f : partition) {
                seen.merge(f.getEvent(), 1, Integer::sum);
                boolean bySecond = f.getModelVersion().equals(b.version());
                assertTrue(bySecond || f.getModelVersion().equals(a.version()), f.getModelVersion());
                assertFalse(switched && !bySecond, "event " + f.getEvent() + " scored by the old model after the swap");
                switched |= bySecond;
                ModelBundle by = bySecond ? b : a;
                assertEquals(by.scorer().score(features.get(f.getEvent())), f.getScore(), "event " + f.getEvent());
                if (bySecond) {
                    scoredBySecond++;
                } else {
                    scoredByFirst++;
                }
            }
        }
        assertEquals(features.keySet(), seen.keySet(), "no gap: every event sent came out");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no duplicate");
        assertTrue(scoredByFirst >= 4_000 && scoredBySecond >= EVENTS - 9_000 - 2_000,
                "first " + scoredByFirst + ", second " + scoredBySecond);
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("MODEL_REFUSED", alerts.get(0).getKind());
        assertTrue(alerts.get(0).getMessage().contains("hbos.json has SHA-256"), alerts.get(0).getMessage());
    }

    private static void awaitScored(CellCounters counters, ScoringApplication app, long target)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (counters.totalEvents() < target) {
            assertFalse(app.stopped(), "application stopped: " + app.state());
            assertTrue(System.nanoTime() < deadline, "scored " + counters.totalEvents() + " of " + target);
            Thread.sleep(20);
        }
    }

    /** Reads the anomalies (in partition order) until every event is there, and the alerts until one arrives. */
    private static void readAll(KafkaFixture kafka, Topics topics, Map<TopicPartition, List<FlaggedEvent>> flagged,
            List<DriftAlert> alerts) throws KafkaUnavailableException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topics.anomalies().name(), 0),
                    new TopicPartition(topics.anomalies().name(), 1), new TopicPartition(topics.alerts().name(), 0),
                    new TopicPartition(topics.alerts().name(), 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int anomalies = 0;
            while ((anomalies < EVENTS || alerts.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.anomalies().name())) {
                        flagged.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>())
                                .add(topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                        anomalies++;
                    } else {
                        alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                        assertTrue(new String(r.key(), StandardCharsets.UTF_8).startsWith("MODEL_REFUSED|"));
                    }
                }
            }
            // Anything after the expected records would be a duplicate or a second alert: read a little longer.
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.anomalies().name())) {
                        flagged.get(new TopicPartition(r.topic(), r.partition()))
                                .add(topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                }
            }
        }
    }
}
