package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelAnnouncements;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.ModelPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.KafkaFixture;

/**
 * Online calibration on a real broker: calibration events are scored, snapshotted to the
 * compacted calibration topic and read back, and the p-values switch from the bundle's
 * calibration to the online one; a model announced without calibration for the active cells
 * does not score until the calibration stream has calibrated its own version, then takes over.
 */
@Tag("broker")
class OnlineCalibrationBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void convergesToOnlineCalibrationAndSwapsOnlyOnceTheNewVersionIsCalibrated(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "online-" + System.nanoTime() + ".";
        OdditySettings settings = SwapBundles.settings(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "oddity-online-" + System.nanoTime(),
                "topics.prefix", prefix,
                "work.dir", dir.resolve("work").toString(),
                "calibration.online.enabled", "true",
                "calibration.online.reservoir-size", "2000",
                "calibration.online.publish-interval", "1s"));
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        ModelBundle a = BundleReader.read(SwapBundles.calibrated(dir.resolve("a"), 1));
        Path uncalibrated = SwapBundles.flaggingEverything(dir.resolve("b"), 2);
        ModelBundle b = BundleReader.read(uncalibrated);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(ScoringModel.of(a, settings.calibration().cells(),
                settings.calibration().workingPoints(),
                settings.calibration().minSize()), counters, settings.calibration().minSize(), true);

        try (ScoringApplication app = ScoringApplication.start(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), new SimpleMeterRegistry());
                EventPublisher events = new EventPublisher(kafka.clientSettings(), topics.events().name());
                EventPublisher calibration = new EventPublisher(kafka.clientSettings(),
                        topics.calibrationEvents().name())) {
            events.publish(TrainedBundle.events(2_000, 91), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> counters.totalEvents() == 2_000, "events scored");
            assertEquals(CalibrationTable.BUNDLE, active.current().table().globalCell().source());

            calibration.publish(TrainedBundle.events(12_000, 92), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> CalibrationTable.ONLINE.equals(active.current().table().globalCell().source()),
                    "online calibration of " + a.version());
            events.publish(TrainedBundle.events(3_000, 93), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> counters.totalEvents() == 5_000, "events scored");

            ModelPublisher.publish(kafka.clientSettings(), topics.models(),
                    ModelAnnouncements.of(uncalibrated, uncalibrated.toString(), System.currentTimeMillis()));
            await(app, () -> active.pending() != null, "the announced model to wait for calibration");
            assertEquals(a.version(), active.current().bundle().version(), "not switched without calibration");
            events.publish(TrainedBundle.events(1_000, 94), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> counters.totalEvents() == 6_000, "events scored");

            calibration.publish(TrainedBundle.events(12_000, 95), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> b.version().equals(active.current().bundle().version()), "switch to " + b.version());
            assertNull(active.pending());
            events.publish(TrainedBundle.events(1_000, 96), 0, topics.eventCodec()::encode, () -> false);
            await(app, () -> counters.totalEvents() == 7_000, "events scored");
        }

        List<FlaggedEvent> flagged = new ArrayList<>();
        Set<String> snapshotVersions = new HashSet<>();
        readAll(kafka, topics, flagged, snapshotVersions);
        assertEquals(Set.of(a.version(), b.version()), snapshotVersions);
        assertEquals(counters.totalFlagged(), flagged.size());
        long bundleCalibrated = flagged.stream().filter(f -> f.getModelVersion().equals(a.version())
                && f.getCalibrationSource().equals(CalibrationTable.BUNDLE)).count();
        long onlineA = flagged.stream().filter(f -> f.getModelVersion().equals(a.version())
                && f.getCalibrationSource().equals(CalibrationTable.ONLINE)).count();
        List<FlaggedEvent> byB = flagged.stream().filter(f -> f.getModelVersion().equals(b.version())).toList();
        assertTrue(bundleCalibrated > 0 && onlineA > 0, "A flagged " + bundleCalibrated + " on its bundle calibration, "
                + onlineA + " online");
        // B's own bundle set would flag every event (p = 1/201); only online calibration keeps it near alpha = 1%.
        assertFalse(byB.isEmpty());
        assertTrue(byB.size() < 60, "B flagged " + byB.size() + " of 1,000");
        assertTrue(byB.stream().allMatch(f -> f.getCalibrationSource().equals(CalibrationTable.ONLINE)));
    }

    private static void await(ScoringApplication app, BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(app.stopped(), "application stopped: " + app.state());
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** Reads every flagged event, and the model versions of the calibration snapshots. */
    private static void readAll(KafkaFixture kafka, Topics topics, List<FlaggedEvent> flagged,
            Set<String> snapshotVersions) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topics.anomalies().name(), 0),
                    new TopicPartition(topics.anomalies().name(), 1),
                    new TopicPartition(topics.calibrationSnapshots().name(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.anomalies().name())) {
                        flagged.add(topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        CalibrationSnapshot s = topics.calibrationSnapshots().valueSerde().deserializer()
                                .deserialize(r.topic(), r.value());
                        if (s.getCell().equals(CellScheme.GLOBAL)) {
                            snapshotVersions.add(s.getModelVersion());
                        }
                    }
                }
            }
        }
    }
}
