package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.AlertState;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelAnnouncements;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.fixtures.ManualClock;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;

/**
 * Online calibration on {@link TopologyTestDriver}: calibration events become one snapshot per
 * changed (model version, cell) reservoir, bounded by the reservoir size; once read back, flags
 * use the online sets and say so, with exact conformal p-values against them; a stale cell is
 * raised once and cleared once; and an announced model without calibration for the active cells
 * waits until the calibration stream has calibrated it, then takes over.
 */
class OnlineCalibrationTopologyTest {

    private static final int RESERVOIR = 500;

    @TempDir
    static Path dir;

    private static Path calibrated;
    private static Path uncalibrated;

    private final Topics topics = Topics.withPrefix("");
    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> calibration;
    private TestOutputTopic<byte[], CalibrationSnapshot> snapshots;
    private TestOutputTopic<byte[], FlaggedEvent> anomalies;
    private TestOutputTopic<byte[], DriftAlert> alerts;

    @BeforeAll
    static void bundles() {
        calibrated = SwapBundles.calibrated(dir.resolve("calibrated"), 1);
        // Only a global set, so it cannot serve cells that have seen events; its scores lie below every event's.
        uncalibrated = SwapBundles.flaggingEverything(dir.resolve("uncalibrated"), 2);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private ActiveModel start() throws Exception {
        OdditySettings settings = SwapBundles.settings(Map.of("work.dir", dir.resolve("work").toString(),
                "calibration.online.enabled", "true", "calibration.online.reservoir-size", Integer.toString(RESERVOIR),
                "calibration.online.publish-interval", "10s", "calibration.max-age", "5m"));
        ScoringModel model = ScoringModel.of(BundleReader.read(calibrated), settings.calibration().cells(),
                settings.calibration().workingPoints(), settings.calibration().minSize());
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, settings.calibration().minSize(), true);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "online-calibration-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), clock), props);
        events = driver.createInputTopic(topics.events().name(), new StringSerializer(), new ByteArraySerializer());
        calibration = driver.createInputTopic(topics.calibrationEvents().name(), new StringSerializer(),
                new ByteArraySerializer());
        snapshots = driver.createOutputTopic(topics.calibrationSnapshots().name(), new ByteArrayDeserializer(),
                topics.calibrationSnapshots().valueSerde().deserializer());
        anomalies = driver.createOutputTopic(topics.anomalies().name(), new ByteArrayDeserializer(),
                topics.anomalies().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), new ByteArrayDeserializer(),
                topics.alerts().valueSerde().deserializer());
        return active;
    }

    private void send(TestInputTopic<String, byte[]> input, DaqSimulator batch) {
        while (batch.hasNext()) {
            CollisionEvent e = batch.next();
            input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
        }
    }

    /** Publishes the reservoirs (the snapshots are read back through the global store) and returns them by cell. */
    private Map<String, CalibrationSnapshot> publish() {
        clock.advance(Duration.ofSeconds(10));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        Map<String, CalibrationSnapshot> byCell = new HashMap<>();
        for (TestRecord<byte[], CalibrationSnapshot> r : snapshots.readRecordsToList()) {
            byCell.put(r.getValue().getModelVersion() + " " + r.getValue().getCell(), r.getValue());
        }
        return byCell;
    }

    @Test
    void snapshotsReplaceTheBundleCalibrationWhereLargeEnoughAndGoStale() throws Exception {
        ActiveModel active = start();
        ModelBundle bundle = active.current().bundle();
        send(calibration, TrainedBundle.events(3_000, 71));
        calibration.pipeInput("bad", new byte[] {9, 9});
        Map<String, CalibrationSnapshot> published = publish();

        CellScheme cells = active.current().cells();
        // Expected reservoir contents: the last RESERVOIR scores of each cell at every level.
        Map<String, List<Double>> scored = new HashMap<>();
        FeatureExtractor extractor = bundle.newExtractor();
        float[] x = new float[57];
        DaqSimulator replay = TrainedBundle.events(3_000, 71);
        while (replay.hasNext()) {
            CollisionEvent e = replay.next();
            extractor.extract(e, x);
            int finest = cells.finestCellOf(e.getConditions());
            for (int level = 0; level < cells.levels(); level++) {
                scored.computeIfAbsent(cells.cellName(level, cells.cellAt(level, finest)), c -> new ArrayList<>())
                        .add(bundle.scorer().score(x));
            }
        }
        assertEquals(scored.keySet().size(), published.size(), published.keySet().toString());
        for (Map.Entry<String, List<Double>> cell : scored.entrySet()) {
            CalibrationSnapshot s = published.get(bundle.version() + " " + cell.getKey());
            List<Double> all = cell.getValue();
            List<Double> expected = new ArrayList<>(all.subList(Math.max(0, all.size() - RESERVOIR), all.size()));
            expected.sort(null);
            assertEquals(expected, s.getScores(), cell.getKey());
            assertEquals("partition-0", s.getSource());
            assertEquals(clock.millis(), s.getPublishedAtMillis());
        }
        assertEquals(RESERVOIR, published.get(bundle.version() + " " + CellScheme.GLOBAL).getScores().size());
        assertTrue(publish().isEmpty(), "unchanged reservoirs are not published again");

        send(events, TrainedBundle.events(3_000, 72));
        List<FlaggedEvent> flagged = anomalies.readValuesToList();
        assertTrue(flagged.size() > 10, "flags: " + flagged.size());
        for (FlaggedEvent f : flagged) {
            CalibrationSnapshot used = published.get(bundle.version() + " " + f.getCell());
            if (used != null && used.getScores().size() >= 99) {
                assertEquals(CalibrationTable.ONLINE, f.getCalibrationSource(), f.getCell());
                assertEquals(used.getScores().size(), f.getCalibrationSize());
                double[] scores = used.getScores().stream().mapToDouble(Double::doubleValue).toArray();
                assertEquals(CalibrationSet.of(scores).pValue(f.getScore()), f.getPValue());
            } else {
                assertEquals(CalibrationTable.BUNDLE, f.getCalibrationSource(), f.getCell());
            }
        }
        assertTrue(flagged.stream().anyMatch(f -> f.getCalibrationSource().equals(CalibrationTable.ONLINE)));

        TestOutputTopic<byte[], DeadLetter> dlq = driver.createOutputTopic(topics.deadLetters().name(),
                new ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer());
        List<DeadLetter> letters = dlq.readValuesToList();
        assertEquals(1, letters.size());
        assertEquals(FailureStage.DECODE, letters.get(0).getStage());
        assertEquals(topics.calibrationEvents().name(), letters.get(0).getTopic());

        // Nothing new for longer than calibration.max-age: every published cell is raised stale once.
        clock.advance(Duration.ofMinutes(6));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<DriftAlert> stale = alerts.readValuesToList();
        assertEquals(published.size(), stale.size(), stale.toString());
        assertTrue(stale.stream().allMatch(a -> a.getKind().equals("CALIBRATION_STALE")
                && a.getState() == AlertState.RAISED));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(alerts.isEmpty(), "a stale cell is raised once");
        send(calibration, TrainedBundle.events(200, 73));
        Map<String, CalibrationSnapshot> fresh = publish();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<DriftAlert> cleared = alerts.readValuesToList();
        assertEquals(fresh.size(), cleared.size());
        assertTrue(cleared.stream().allMatch(a -> a.getState() == AlertState.CLEARED));
    }

    @Test
    void aModelWithoutCalibrationForTheActiveCellsWaitsForItsOwnOnlineCalibration() throws Exception {
        ActiveModel active = start();
        ModelBundle a = active.current().bundle();
        ModelBundle b = BundleReader.read(uncalibrated);
        send(events, TrainedBundle.events(500, 81));
        TestInputTopic<String, ModelAnnouncement> models = driver.createInputTopic(topics.models().name(),
                new StringSerializer(), topics.models().valueSerde().serializer());
        models.pipeInput(SwapBundles.NAME, ModelAnnouncements.of(uncalibrated, uncalibrated.toString(), 1));
        assertEquals(b.version(), active.pending().version());
        send(events, TrainedBundle.events(500, 82));
        assertTrue(anomalies.readValuesToList().stream().allMatch(f -> f.getModelVersion().equals(a.version())),
                "the waiting model scores nothing");

        // The calibration stream scores both models; B's snapshots complete its calibration.
        send(calibration, TrainedBundle.events(12_000, 83));
        Map<String, CalibrationSnapshot> published = publish();
        assertTrue(published.containsKey(a.version() + " " + CellScheme.GLOBAL));
        assertTrue(published.containsKey(b.version() + " " + CellScheme.GLOBAL));
        assertEquals(b.version(), active.current().bundle().version());
        assertNull(active.pending());

        send(events, TrainedBundle.events(500, 84));
        List<FlaggedEvent> after = anomalies.readValuesToList();
        assertTrue(!after.isEmpty());
        for (FlaggedEvent f : after) {
            assertEquals(b.version(), f.getModelVersion());
            assertEquals(CalibrationTable.ONLINE, f.getCalibrationSource());
        }
        // B's bundle set puts every event at p = 1/201; against its online sets the flag rate is near alpha.
        assertTrue(after.size() < 50, "flags: " + after.size());
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(alerts.readValuesToList().stream().noneMatch(al -> al.getKind().equals("MODEL_REFUSED")));
    }
}
