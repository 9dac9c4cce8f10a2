package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelAnnouncements;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.score.Scorer;
import org.oddity.sim.DaqSimulator;

/**
 * Hot swap on {@link TopologyTestDriver}: an announced model scores every event after its
 * announcement and none before; a corrupt one, another model's, or an undecodable announcement
 * leaves the running model in place, and the refusals come out as one alert each. Flags name
 * their largest per-feature contributions.
 */
class ModelSwapTopologyTest {

    @TempDir
    static Path dir;

    private static Path first;
    private static Path second;
    private static Path corrupt;

    private final Topics topics = Topics.withPrefix("");
    private TopologyTestDriver driver;

    @BeforeAll
    static void bundles() throws Exception {
        first = SwapBundles.flaggingEverything(dir.resolve("first"), 4);
        second = SwapBundles.flaggingEverything(dir.resolve("second"), 5);
        corrupt = SwapBundles.flaggingEverything(dir.resolve("corrupt"), 6);
        Files.writeString(corrupt.resolve("hbos.json"), " ", java.nio.file.StandardOpenOption.APPEND);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private ActiveModel start(OdditySettings settings, ScoringModel model) {
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, settings.calibration().minSize());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "swap-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), Clock.systemUTC()), props);
        return active;
    }

    private static ScoringModel model(OdditySettings settings, Path bundle) throws Exception {
        return ScoringModel.of(BundleReader.read(bundle), settings.calibration().cells(),
                settings.calibration().workingPoints(), settings.calibration().minSize());
    }

    private void send(TestInputTopic<String, byte[]> input, DaqSimulator events) {
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
        }
    }

    @Test
    void announcedModelScoresEveryLaterEventAndRefusalsBecomeOneAlertEach() throws Exception {
        OdditySettings settings = SwapBundles.settings(Map.of("work.dir", dir.resolve("work").toString()));
        ActiveModel active = start(settings, model(settings, first));
        TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(), new StringSerializer(),
                new ByteArraySerializer());
        TestInputTopic<String, ModelAnnouncement> models = driver.createInputTopic(topics.models().name(),
                new StringSerializer(), topics.models().valueSerde().serializer());
        TestInputTopic<String, byte[]> rawModels = driver.createInputTopic(topics.models().name(),
                new StringSerializer(), new ByteArraySerializer());
        TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
        TestOutputTopic<byte[], DriftAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                new ByteArrayDeserializer(), topics.alerts().valueSerde().deserializer());
        ModelBundle a = BundleReader.read(first);
        ModelBundle b = BundleReader.read(second);

        send(input, TrainedBundle.events(300, 41));
        models.pipeInput(SwapBundles.NAME, ModelAnnouncements.of(second, second.toString(), 1));
        send(input, TrainedBundle.events(300, 42));
        ModelAnnouncement bad = ModelAnnouncements.of(corrupt, null, 2);
        models.pipeInput(SwapBundles.NAME, bad);
        models.pipeInput("other-model", ModelAnnouncement.newBuilder(bad).setModelName("other-model").build());
        rawModels.pipeInput(SwapBundles.NAME, new byte[] {1, 2, 3});
        send(input, TrainedBundle.events(300, 43));

        List<FlaggedEvent> flagged = anomalies.readValuesToList();
        assertEquals(900, flagged.size(), "every event is flagged by these bundles");
        FeatureExtractor extractor = a.newExtractor();
        float[] x = new float[57];
        DaqSimulator[] batches = {TrainedBundle.events(300, 41), TrainedBundle.events(300, 42),
            TrainedBundle.events(300, 43)};
        Scorer[] scoredBy = {a.scorer(), b.scorer(), b.scorer()};
        String[] versions = {a.version(), b.version(), b.version()};
        int i = 0;
        for (int batch = 0; batch < 3; batch++) {
            while (batches[batch].hasNext()) {
                extractor.extract(batches[batch].next(), x);
                FlaggedEvent f = flagged.get(i++);
                assertEquals(versions[batch], f.getModelVersion(), "event " + i);
                assertEquals(scoredBy[batch].score(x), f.getScore(), "event " + i);
            }
        }
        assertEquals(b.version(), active.current().bundle().version());

        assertTrue(alerts.isEmpty(), "alerts go out on the next check, once a second");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<DriftAlert> refused = alerts.readValuesToList();
        assertEquals(2, refused.size(), refused.toString());
        for (DriftAlert alert : refused) {
            assertEquals("MODEL_REFUSED", alert.getKind());
            assertEquals(AlertState.RAISED, alert.getState());
            assertTrue(alert.getMessage().contains("still scoring with " + b.version()), alert.getMessage());
        }
        assertTrue(refused.get(0).getMessage().contains("hbos.json has SHA-256"), refused.get(0).getMessage());
        assertTrue(refused.get(1).getMessage().contains("not a ModelAnnouncement"), refused.get(1).getMessage());
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(alerts.isEmpty(), "each refusal is reported once");
    }

    @Test
    void unusableLocationsAreRefusedAndARestartWithThemOnTheTopicStartsCleanly() throws Exception {
        OdditySettings settings = SwapBundles.settings(Map.of("work.dir", dir.resolve("work").toString()));
        List<String> locations = List.of("file:%zz", "file://elsewhere/bundle", "bundle\0dir");
        ModelBundle a = BundleReader.read(first);
        for (int start = 0; start < 2; start++) {
            close();
            start(settings, model(settings, first));
            TestInputTopic<String, ModelAnnouncement> models = driver.createInputTopic(topics.models().name(),
                    new StringSerializer(), topics.models().valueSerde().serializer());
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
            TestOutputTopic<byte[], DriftAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                    new ByteArrayDeserializer(), topics.alerts().valueSerde().deserializer());
            // The second start sees the announcements first, as a restart replays the compacted topic.
            if (start == 1) {
                locations.forEach(l -> models.pipeInput(SwapBundles.NAME, announcementAt(l)));
            }
            send(input, TrainedBundle.events(100, 45));
            if (start == 0) {
                locations.forEach(l -> models.pipeInput(SwapBundles.NAME, announcementAt(l)));
            }
            send(input, TrainedBundle.events(100, 46));

            List<FlaggedEvent> flagged = anomalies.readValuesToList();
            assertEquals(200, flagged.size(), "scoring goes on");
            assertTrue(flagged.stream().allMatch(f -> f.getModelVersion().equals(a.version())));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            List<DriftAlert> refused = alerts.readValuesToList();
            assertEquals(locations.size(), refused.size(), refused.toString());
            for (int i = 0; i < locations.size(); i++) {
                assertEquals("MODEL_REFUSED", refused.get(i).getKind());
                assertTrue(refused.get(i).getMessage().contains("is neither a path nor a file: URI"),
                        refused.get(i).getMessage());
            }
        }
    }

    /** An announcement of the second bundle, with its manifest's digest, at {@code location}. */
    private static ModelAnnouncement announcementAt(String location) {
        try {
            return ModelAnnouncements.of(second, location, 3);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flagsNameTheirLargestContributionsFirst() throws Exception {
        OdditySettings settings = TrainedBundle.defaultSettings();
        ScoringModel model = TrainedBundle.model(settings);
        start(settings, model);
        TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(), new StringSerializer(),
                new ByteArraySerializer());
        TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
        send(input, TrainedBundle.events(3_000, 44));
        List<FlaggedEvent> flagged = anomalies.readValuesToList();
        assertTrue(flagged.size() > 10, "flags: " + flagged.size());
        List<String> names = model.bundle().manifest().featureNames();
        Map<Long, float[]> features = new java.util.HashMap<>();
        FeatureExtractor extractor = model.bundle().newExtractor();
        DaqSimulator events = TrainedBundle.events(3_000, 44);
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            float[] x = new float[57];
            extractor.extract(e, x);
            features.put(e.getEvent(), x);
        }
        double[] terms = new double[57];
        for (FlaggedEvent f : flagged) {
            model.bundle().scorer().contributions(features.get(f.getEvent()), terms);
            Integer[] order = java.util.stream.IntStream.range(0, 57).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(order, (p, q) -> Double.compare(terms[q], terms[p]));
            List<FeatureContribution> top = f.getTopFeatures();
            assertEquals(settings.topFeatures(), top.size());
            for (int k = 0; k < top.size(); k++) {
                assertEquals(terms[order[k]], top.get(k).getContribution(), "event " + f.getEvent() + " rank " + k);
                assertEquals(terms[order[k]], terms[names.indexOf(top.get(k).getFeature())]);
            }
        }
    }
}
