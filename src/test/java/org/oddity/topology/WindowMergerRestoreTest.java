package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.AlertState;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.WindowSummary;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.ManualClock;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;

/**
 * The monitor's state follows its task: a monitor task that stops between the window that raises
 * an alert and the one that clears it, and is restored from its store, publishes exactly the
 * alerts of a monitor that never stopped, the clearing included.
 */
class WindowMergerRestoreTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final Topics topics = Topics.withPrefix("");

    @Test
    void aRestoredMonitorPublishesTheAlertsOfOneThatNeverStopped() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "work.dir", dir.toString(), "monitor.quiet-windows", "2")));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(TrainedBundle.model(settings), counters, settings.calibration().minSize());
        List<TestRecord<byte[], byte[]>> partials = partials(settings, active, counters);

        MockProcessorContext<byte[], SpecificRecord> whole = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> wholeStore = store(whole);
        WindowMerger uninterrupted = merger(settings, active, counters);
        uninterrupted.init(whole);
        int raisedAfter = -1;
        for (int i = 0; i < partials.size(); i++) {
            feed(uninterrupted, partials.get(i), i == 0);
            if (raisedAfter < 0 && alerts(whole).stream().anyMatch(a -> a.getState() == AlertState.RAISED)) {
                raisedAfter = i;
            }
        }
        finish(whole);
        List<DriftAlert> expected = alerts(whole);
        assertTrue(raisedAfter > 0 && raisedAfter < partials.size() - 1, "raised after partial " + raisedAfter);
        try (KeyValueIterator<String, byte[]> open = wholeStore.prefixScan("open/", new StringSerializer())) {
            assertFalse(open.hasNext(), "every window tested leaves the store");
        }

        MockProcessorContext<byte[], SpecificRecord> first = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = store(first);
        WindowMerger before = merger(settings, active, counters);
        before.init(first);
        for (int i = 0; i <= raisedAfter; i++) {
            feed(before, partials.get(i), i == 0);
        }
        MockProcessorContext<byte[], SpecificRecord> second = new MockProcessorContext<>();
        second.addStateStore(store);
        WindowMerger after = merger(settings, active, counters);
        after.init(second);
        for (int i = raisedAfter + 1; i < partials.size(); i++) {
            feed(after, partials.get(i), i == raisedAfter + 1);
        }
        finish(second);
        List<DriftAlert> split = new ArrayList<>(alerts(first));
        split.addAll(alerts(second));
        assertEquals(expected, split);
        assertTrue(alerts(second).stream().anyMatch(a -> a.getState() == AlertState.CLEARED), alerts(second).toString());
    }

    /** The window summaries the scoring tasks publish for 40,000 events, a run of them broken. */
    private List<TestRecord<byte[], byte[]>> partials(OdditySettings settings, ActiveModel active,
            CellCounters counters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "merger-restore-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active,
                counters, ScoringLatencies.of(settings.metrics()), clock), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> summaries = driver.createOutputTopic(topics.windowSummaries().name(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            DaqSimulator events = TrainedBundle.events(40_000, 101);
            for (int i = 0; events.hasNext(); i++) {
                CollisionEvent e = events.next();
                input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
                if (i >= 10_000 && i < 10_600 && i % 4 == 0) {
                    input.pipeInput("broken-" + i, new byte[] {0x13, 0x37});
                }
            }
            for (int check = 0; check < 3; check++) {
                clock.advance(Duration.ofSeconds(31));
                driver.advanceWallClockTime(Duration.ofSeconds(1));
            }
            return summaries.readRecordsToList();
        }
    }

    private WindowMerger merger(OdditySettings settings, ActiveModel active, CellCounters counters) {
        return new WindowMerger(active, settings.monitoring(), false, counters, clock,
                AvroSerde.of(WindowSummary.class).codec());
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<byte[], SpecificRecord> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AnomalyTopology.MONITOR_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** Hands one partial to the monitor; after a stream's first, the clock passes the start-up wait. */
    private void feed(WindowMerger merger, TestRecord<byte[], byte[]> partial, boolean firstOfStream) {
        merger.process(new Record<>(partial.key(), partial.value(), partial.timestamp()));
        if (firstOfStream) {
            clock.advance(Duration.ofSeconds(61));
        }
    }

    /** Quiet past twice the idle-flush time: the monitor tests what it still holds. */
    private void finish(MockProcessorContext<byte[], SpecificRecord> context) {
        clock.advance(Duration.ofSeconds(61));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(clock.millis());
    }

    private static List<DriftAlert> alerts(MockProcessorContext<byte[], SpecificRecord> context) {
        List<DriftAlert> out = new ArrayList<>();
        for (MockProcessorContext.CapturedForward<? extends byte[], ? extends SpecificRecord> f : context.forwarded()) {
            if (f.record().value() instanceof DriftAlert alert) {
                out.add(alert);
            }
        }
        return out;
    }
}
