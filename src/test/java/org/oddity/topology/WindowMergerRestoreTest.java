package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;
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
 * The monitor's state follows its task as Kafka Streams moves it: a monitor task that stops
 * between the window that raises an alert and the one that clears it, and starts again on a fresh
 * store restored from the changelog records its first life wrote, publishes exactly the alerts of
 * a monitor that never stopped, the clearing included.
 *
 * <p>The uninterrupted run and the first life run the application's topology on
 * {@link TopologyTestDriver}, which captures what the store's logging layer sends to its
 * changelog topic. The second life restores a new store the way Kafka Streams' state manager
 * does on another instance: the store registers a restore callback as it is initialized, and the
 * changelog records are handed to that callback. TopologyTestDriver has no restore path of its
 * own, so the second life's merger runs on a {@link MockProcessorContext}. The test fails if the
 * merger stops writing the store, the topology stops changelogging it, or the merger stops
 * taking up what it holds.
 */
class WindowMergerRestoreTest {

    private static final String APPLICATION = "merger-restore-test";
    /** Kafka Streams names a store's changelog APPLICATION-STORE-changelog. */
    private static final String CHANGELOG = APPLICATION + "-" + AnomalyTopology.MONITOR_STORE + "-changelog";
    /** Longer than twice the idle-flush time: the monitor's start-up wait, and the quiet that tests what it holds. */
    private static final Duration PAST_TWO_FLUSHES = Duration.ofSeconds(61);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final Topics topics = Topics.withPrefix("");

    @Test
    void aMonitorRestoredFromItsChangelogPublishesTheAlertsOfOneThatNeverStopped() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "work.dir", dir.toString(), "monitor.quiet-windows", "2")));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(TrainedBundle.model(settings), counters, settings.calibration().minSize());
        List<TestRecord<byte[], byte[]>> partials = partials(settings, active, counters);

        List<DriftAlert> expected = new ArrayList<>();
        int raisedAfter = -1;
        try (MonitorTask whole = new MonitorTask(settings, active, counters)) {
            for (int i = 0; i < partials.size(); i++) {
                whole.feed(partials.get(i), i == 0);
                expected.addAll(whole.alerts());
                if (raisedAfter < 0 && expected.stream().anyMatch(a -> a.getState() == AlertState.RAISED)) {
                    raisedAfter = i;
                }
            }
            whole.finish();
            expected.addAll(whole.alerts());
            assertTrue(whole.stored().keySet().stream().noneMatch(k -> k.startsWith("open/")),
                    "every window tested leaves the store");
        }
        assertTrue(raisedAfter > 0 && raisedAfter < partials.size() - 1, "raised after partial " + raisedAfter);

        List<DriftAlert> split = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> changelog;
        Map<String, String> storedBeforeStop;
        try (MonitorTask first = new MonitorTask(settings, active, counters)) {
            for (int i = 0; i <= raisedAfter; i++) {
                first.feed(partials.get(i), i == 0);
            }
            split.addAll(first.alerts());
            changelog = first.changelog();
            storedBeforeStop = first.stored();
        }
        assertTrue(storedBeforeStop.keySet().stream().anyMatch(k -> k.startsWith("open/")),
                "the first life stops with windows open: " + storedBeforeStop.keySet());

        MockProcessorContext<byte[], SpecificRecord> second = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> restored = restoredStore(second, changelog);
        assertEquals(storedBeforeStop, contents(restored), "the changelog restores the store as it was");
        WindowMerger after = merger(settings, active, counters);
        after.init(second);
        // The monitor's check runs before the scoring tasks send their partials again: it must wait for them.
        second.scheduledPunctuators().get(0).getPunctuator().punctuate(clock.millis());
        for (int i = raisedAfter + 1; i < partials.size(); i++) {
            TestRecord<byte[], byte[]> partial = partials.get(i);
            after.process(new Record<>(partial.key(), partial.value(), partial.timestamp()));
            if (i == raisedAfter + 1) {
                clock.advance(PAST_TWO_FLUSHES);
            }
        }
        clock.advance(PAST_TWO_FLUSHES);
        second.scheduledPunctuators().get(0).getPunctuator().punctuate(clock.millis());
        List<DriftAlert> afterRestore = alerts(second);
        split.addAll(afterRestore);
        assertEquals(expected, split);
        assertTrue(afterRestore.stream().anyMatch(a -> a.getState() == AlertState.CLEARED), afterRestore.toString());
    }

    /** The window summaries the scoring tasks publish for 40,000 events, a run of them broken. */
    private List<TestRecord<byte[], byte[]>> partials(OdditySettings settings, ActiveModel active,
            CellCounters counters) {
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active,
                counters, ScoringLatencies.of(settings.metrics()), clock), properties())) {
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

    private static Properties properties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    /** The monitor's task in the application's topology, fed the window summaries by hand. */
    private final class MonitorTask implements AutoCloseable {

        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> summaries;
        private final TestOutputTopic<byte[], DriftAlert> alerts;

        MonitorTask(OdditySettings settings, ActiveModel active, CellCounters counters) {
            driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active, counters,
                    ScoringLatencies.of(settings.metrics()), clock), properties());
            summaries = driver.createInputTopic(topics.windowSummaries().name(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            alerts = driver.createOutputTopic(topics.alerts().name(), new ByteArrayDeserializer(),
                    topics.alerts().valueSerde().deserializer());
        }

        /** Hands one partial to the monitor; after a stream's first, the clock passes the start-up wait. */
        void feed(TestRecord<byte[], byte[]> partial, boolean firstOfStream) {
            summaries.pipeInput(partial.key(), partial.value(), partial.timestamp());
            if (firstOfStream) {
                clock.advance(PAST_TWO_FLUSHES);
            }
        }

        /** Quiet past twice the idle-flush time: at its next check the monitor tests what it still holds. */
        void finish() {
            clock.advance(PAST_TWO_FLUSHES);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        /** The alerts published since the last call. */
        List<DriftAlert> alerts() {
            return alerts.readValuesToList();
        }

        /** What Kafka Streams sent to the store's changelog topic, as a restoring consumer reads it. */
        List<ConsumerRecord<byte[], byte[]>> changelog() {
            assertTrue(driver.producedTopicNames().contains(CHANGELOG), "no changelog " + CHANGELOG + " among "
                    + driver.producedTopicNames());
            List<TestRecord<byte[], byte[]>> records = driver.createOutputTopic(CHANGELOG, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList();
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : records) {
                out.add(new ConsumerRecord<>(CHANGELOG, 0, out.size(), r.key(), r.value()));
            }
            return out;
        }

        /** The monitor store's entries now. */
        Map<String, String> stored() {
            return contents(driver.getKeyValueStore(AnomalyTopology.MONITOR_STORE));
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    /**
     * A new, empty monitor store for {@code context}, restored from {@code changelog} as Kafka
     * Streams restores a task's store: through the callback the store registers when it is
     * initialized, adapted to batches of changelog records.
     */
    private static KeyValueStore<String, byte[]> restoredStore(MockProcessorContext<byte[], SpecificRecord> context,
            List<ConsumerRecord<byte[], byte[]>> changelog) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AnomalyTopology.MONITOR_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        List<StateRestoreCallback> callbacks = new ArrayList<>();
        store.init(registrationsInto(callbacks, context.getStateStoreContext()), store);
        assertEquals(1, callbacks.size(), "restore callbacks the store registered");
        StateRestoreCallbackAdapter.adapt(callbacks.get(0)).restoreBatch(changelog);
        return store;
    }

    /**
     * {@code context}, keeping the restore callback of each store registered with it in
     * {@code callbacks}, as Kafka Streams' state manager does. A proxy of Kafka's internal
     * processor context, since the metered store requires one and the mock's context is one.
     */
    private static StateStoreContext registrationsInto(List<StateRestoreCallback> callbacks, StateStoreContext context) {
        return (StateStoreContext) Proxy.newProxyInstance(WindowMergerRestoreTest.class.getClassLoader(),
                new Class<?>[] {InternalProcessorContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("register")) {
                        callbacks.add((StateRestoreCallback) args[1]);
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Map<String, String> contents(KeyValueStore<String, byte[]> store) {
        Map<String, String> out = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining((KeyValue<String, byte[]> e) -> out.put(e.key, HexFormat.of().formatHex(e.value)));
        }
        assertFalse(out.isEmpty(), "the monitor store is empty");
        return out;
    }

    private WindowMerger merger(OdditySettings settings, ActiveModel active, CellCounters counters) {
        return new WindowMerger(active, settings.monitoring(), false, counters, clock,
                AvroSerde.of(WindowSummary.class).codec());
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
