package org.oddity.topology;

import java.nio.file.Path;
import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.avro.WindowSummary;
import org.oddity.calibrate.PValueMode;
import org.oddity.config.OdditySettings;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * Builds the scoring topology: events in, flagged events, dead letters and model alerts out,
 * with model announcements read into a global store that hot-swaps the model. The same value
 * goes to {@code TopologyTestDriver} in tests and to {@code KafkaStreams} in production.
 *
 * <p>The source reads raw bytes, so that a record which is not a valid event reaches the
 * dead-letter topic with its bytes intact instead of failing in a deserializer.
 */
public final class AnomalyTopology {

    /** Source node reading the events topic. */
    public static final String SOURCE = "daq-events";
    /** Processor node that scores and calibrates. */
    public static final String SCORER = "score-events";
    /** Sink node writing flagged events. */
    public static final String ANOMALIES = "anomalies";
    /** Sink node writing the scorer's dead letters. */
    public static final String DEAD_LETTERS = "dead-letters";
    /** Sink node writing the scorer's alerts. */
    public static final String ALERTS = "alerts";
    /** Sink node writing the monitor's alerts. */
    public static final String MONITOR_ALERTS = "monitor-alerts";
    /** Sink node writing the online calibrator's dead letters. */
    public static final String CALIBRATION_DEAD_LETTERS = "calibration-dead-letters";
    /** Source node of the global model-announcement store. */
    public static final String MODELS_SOURCE = "oddity-models";
    /** Processor node that verifies announced models and switches to them. */
    public static final String MODEL_LOADER = "load-models";
    /** Global store of the latest announcement per model name. */
    public static final String MODEL_STORE = "model-announcements";
    /** Sink node writing partial window summaries. */
    public static final String WINDOW_SUMMARIES = "window-summaries";
    /** Source node reading the window summaries. */
    public static final String SUMMARIES_SOURCE = "oddity-window-summaries";
    /** Processor node merging the summaries and testing each window. */
    public static final String MONITOR = "monitor-windows";
    /** Source node reading the calibration events topic. */
    public static final String CALIBRATION_SOURCE = "daq-calibration";
    /** Processor node that scores calibration events into reservoirs and snapshots them. */
    public static final String CALIBRATOR = "calibrate-online";
    /** Sink node writing calibration snapshots. */
    public static final String CALIBRATION_SNAPSHOTS = "calibration-snapshots";
    /** Source node of the global calibration-snapshot store. */
    public static final String SNAPSHOTS_SOURCE = "oddity-calibration";
    /** Processor node that hands online calibration sets to the active model. */
    public static final String SNAPSHOT_LOADER = "load-calibration";
    /** Global store of the latest calibration snapshot per (model version, source, cell). */
    public static final String CALIBRATION_STORE = "calibration-snapshots";
    /** The monitor's open windows and alert state, changelogged. */
    public static final String MONITOR_STORE = "monitor-state";
    /** Each online-calibration task's reservoirs, stored at each commit and changelogged. */
    public static final String RESERVOIR_STORE = "calibration-reservoirs";
    /** Each scoring task's open window partials, stored at each commit and changelogged. */
    public static final String TASK_WINDOWS_STORE = "task-windows";

    private AnomalyTopology() {
    }

    /**
     * The topology for {@code settings}, scoring with {@code active}'s model, switching to the
     * models announced on the models topic, counting into {@code counters} and timing into
     * {@code latencies}; with online calibration enabled, also calibrating from the calibration
     * events topic.
     */
    public static Topology build(Topics topics, OdditySettings settings, ActiveModel active, CellCounters counters,
            ScoringLatencies latencies, Clock clock) {
        AvroCodec<CollisionEvent> codec = AvroCodec.of(CollisionEvent.class,
                EventWriterSchemas.load(settings.kafka().eventWriterSchemas()));
        AvroCodec<ModelAnnouncement> announcements = AvroSerde.of(ModelAnnouncement.class).codec();
        Path unpackDir = settings.workDir().resolve("models");
        Topology topology = new Topology();
        // Each processor writes through sinks of its own, so that the scorer, the monitor and the calibrator are
        // separate sub-topologies and run as separate tasks. A task reading several topics takes the record with
        // the lowest timestamp first: sharing one with the scorer, the monitor (its summaries stamped with the
        // broker's append time) would wait behind any backlog of events (stamped with their older event time) and
        // raise a replayed run's alerts, or those of the hour after an outage, only once the backlog is gone.
        // Every instance must see every announcement, so models are a global store, not a partitioned source.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                MODELS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.models().name(),
                MODEL_LOADER, () -> new ModelAnnouncementProcessor(active, announcements, unpackDir, clock));
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.events().name());
        topology.addProcessor(SCORER, () -> new ScoringProcessor(active, settings.topFeatures(), counters, latencies,
                settings.calibration().pValueMode(), settings.calibration().pValueSeed(),
                settings.calibration().online().maxAge(), settings.monitoring(), clock, codec),
                SOURCE);
        topology.addSink(ANOMALIES, topics.anomalies().name(), topics.anomalies().keySerde().serializer(),
                topics.anomalies().valueSerde().serializer(), SCORER);
        if (settings.monitoring().enabled()) {
            topology.addSink(WINDOW_SUMMARIES, topics.windowSummaries().name(),
                    topics.windowSummaries().keySerde().serializer(), topics.windowSummaries().valueSerde().serializer(),
                    SCORER);
            // Stored at each commit: a task's open window counts are as durable as its committed offsets.
            topology.addStateStore(CommitTimeStore.builder(TASK_WINDOWS_STORE), SCORER);
            AvroCodec<WindowSummary> summaries = AvroSerde.of(WindowSummary.class).codec();
            topology.addSource(SUMMARIES_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.windowSummaries().name());
            topology.addProcessor(MONITOR, () -> new WindowMerger(active, settings.monitoring(),
                    settings.calibration().pValueMode() == PValueMode.RANDOMIZED, counters, clock, summaries),
                    SUMMARIES_SOURCE);
            // Changelogged: the monitor's open windows and alert state follow its task to another instance.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MONITOR_STORE),
                    Serdes.String(), Serdes.ByteArray()), MONITOR);
            topology.addSink(MONITOR_ALERTS, topics.alerts().name(), topics.alerts().keySerde().serializer(),
                    topics.alerts().valueSerde().serializer(), MONITOR);
        }
        if (settings.calibration().online().enabled()) {
            AvroCodec<CalibrationSnapshot> snapshots = AvroSerde.of(CalibrationSnapshot.class).codec();
            topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CALIBRATION_STORE),
                            Serdes.ByteArray(), Serdes.ByteArray()).withLoggingDisabled(),
                    SNAPSHOTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.calibrationSnapshots().name(), SNAPSHOT_LOADER,
                    () -> new CalibrationSnapshotProcessor(active, snapshots));
            topology.addSource(CALIBRATION_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.calibrationEvents().name());
            topology.addProcessor(CALIBRATOR, () -> new CalibrationProcessor(active, settings.calibration().online(),
                    clock, codec), CALIBRATION_SOURCE);
            topology.addStateStore(CommitTimeStore.builder(RESERVOIR_STORE), CALIBRATOR);
            topology.addSink(CALIBRATION_SNAPSHOTS, topics.calibrationSnapshots().name(),
                    topics.calibrationSnapshots().keySerde().serializer(),
                    topics.calibrationSnapshots().valueSerde().serializer(), CALIBRATOR);
            topology.addSink(CALIBRATION_DEAD_LETTERS, topics.deadLetters().name(),
                    topics.deadLetters().keySerde().serializer(), topics.deadLetters().valueSerde().serializer(),
                    CALIBRATOR);
        }
        topology.addSink(DEAD_LETTERS, topics.deadLetters().name(), topics.deadLetters().keySerde().serializer(),
                topics.deadLetters().valueSerde().serializer(), SCORER);
        topology.addSink(ALERTS, topics.alerts().name(), topics.alerts().keySerde().serializer(),
                topics.alerts().valueSerde().serializer(), SCORER);
        return topology;
    }
}
