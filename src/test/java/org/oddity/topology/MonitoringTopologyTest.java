package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.WindowSummary;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.ManualClock;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;

/**
 * Monitoring on {@link TopologyTestDriver}: every scored event and every dead letter is counted
 * in exactly one window summary; the monitor tests the merged windows; a run of broken records
 * raises one INPUT_ERRORS alert, which clears after the quiet windows; an idle stream has its
 * open windows closed and tested; and a monitoring failure is counted, alerted once, and does not
 * stop scoring.
 */
class MonitoringTopologyTest {

    @TempDir
    Path dir;

    private final Topics topics = Topics.withPrefix("");
    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void everyEventIsCountedOnceAndBrokenInputRaisesAndClearsOneAlert() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "work.dir", dir.toString(), "monitor.quiet-windows", "2")));
        ScoringModel model = TrainedBundle.model(settings);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, settings.calibration().minSize());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitoring-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), clock), props);
        TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(), new StringSerializer(),
                new ByteArraySerializer());
        TestOutputTopic<byte[], WindowSummary> summaries = driver.createOutputTopic(topics.windowSummaries().name(),
                new ByteArrayDeserializer(), topics.windowSummaries().valueSerde().deserializer());
        TestOutputTopic<byte[], DriftAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                new ByteArrayDeserializer(), topics.alerts().valueSerde().deserializer());

        // 40,000 events over one simulated hour: about 260 per 23.31 s window. Between events 10,000 and
        // 10,600 every fourth record is broken.
        DaqSimulator events = TrainedBundle.events(40_000, 101);
        int broken = 0;
        for (int i = 0; events.hasNext(); i++) {
            CollisionEvent e = events.next();
            input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
            if (i >= 10_000 && i < 10_600 && i % 4 == 0) {
                input.pipeInput("broken-" + i, new byte[] {0x13, 0x37});
                broken++;
            }
        }
        // The tasks notice the quiet at their next check and close their windows a flush time later; the
        // monitor tests them two flush times after that.
        for (int check = 0; check < 5; check++) {
            clock.advance(Duration.ofSeconds(31));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        long summed = 0;
        long dead = 0;
        for (WindowSummary s : summaries.readValuesToList()) {
            summed += s.getEvents();
            dead += s.getDeadLetters();
            assertTrue(s.getCell().equals(CellScheme.GLOBAL) || s.getEvents() > 0, s.toString());
        }
        assertEquals(40_000, counters.totalEvents());
        assertEquals(counters.totalEvents(), summed, "every scored event is in exactly one window summary");
        assertEquals(broken, dead);
        assertEquals(broken, counters.totalDeadLetters());
        assertEquals(0, counters.monitorFailures());

        List<DriftAlert> all = alerts.readValuesToList();
        Predicate<DriftAlert> inputErrors = a -> a.getKind().equals("INPUT_ERRORS");
        List<DriftAlert> raised = all.stream().filter(inputErrors).filter(a -> a.getState() == AlertState.RAISED)
                .toList();
        assertEquals(1, raised.size(), all.toString());
        assertEquals(1, all.stream().filter(inputErrors).filter(a -> a.getState() == AlertState.CLEARED).count(),
                all.toString());
        DriftAlert alert = raised.get(0);
        assertTrue(alert.getCorrectedPValue() <= settings.monitoring().tests().falseDiscoveryRate(), alert.toString());
        assertTrue(alert.getObserved() > alert.getExpected(), alert.toString());
        assertEquals(CellScheme.GLOBAL, alert.getCell());
    }

    @Test
    void aMonitoringFailureIsCountedAndAlertedOnceAndScoringGoesOn() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "work.dir", dir.toString())));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(TrainedBundle.model(settings), counters, settings.calibration().minSize());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitoring-failure-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active, counters,
                ScoringLatencies.of(settings.metrics()), clock), props);
        TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(), new StringSerializer(),
                new ByteArraySerializer());
        TestInputTopic<byte[], byte[]> summaries = driver.createInputTopic(topics.windowSummaries().name(),
                new ByteArraySerializer(), new ByteArraySerializer());
        TestOutputTopic<byte[], DriftAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                new ByteArrayDeserializer(), topics.alerts().valueSerde().deserializer());

        summaries.pipeInput(new byte[] {1}, new byte[] {0x42});
        summaries.pipeInput(new byte[] {2}, new byte[] {0x42, 0x43});
        DaqSimulator events = TrainedBundle.events(1_000, 103);
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
        }
        assertEquals(1_000, counters.totalEvents(), "scoring goes on");
        assertEquals(2, counters.monitorFailures(), "every failure is counted");
        List<DriftAlert> failures = alerts.readValuesToList().stream()
                .filter(a -> a.getKind().equals("MONITOR_FAILURE")).toList();
        assertEquals(1, failures.size(), "alerted once");
        assertTrue(failures.get(0).getMessage().contains("scoring goes on"), failures.get(0).getMessage());
    }
}
