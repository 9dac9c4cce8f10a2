package org.oddity.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.avro.WindowSummary;

/**
 * The catalogue of oddity's topics: each name (under one prefix) with its serdes. Nothing else
 * in the code writes a topic name. Topics join the catalogue with the feature that uses them.
 *
 * <p>Event keys are the event id {@code run:event} as UTF-8; anomalies and dead letters keep
 * the input record's key bytes unchanged, so they partition like the events they come from.
 */
public final class Topics {

    private final AvroSerde<CollisionEvent> eventSerde = AvroSerde.of(CollisionEvent.class);
    private final Topic<String, CollisionEvent> events;
    private final Topic<byte[], FlaggedEvent> anomalies;
    private final Topic<byte[], DeadLetter> deadLetters;
    private final Topic<String, ModelAnnouncement> models;
    private final Topic<byte[], DriftAlert> alerts;
    private final Topic<String, CollisionEvent> calibrationEvents;
    private final Topic<byte[], CalibrationSnapshot> calibrationSnapshots;
    private final Topic<byte[], WindowSummary> windowSummaries;

    private Topics(String prefix) {
        events = new Topic<>(prefix + "daq.events", Serdes.String(), eventSerde);
        anomalies = new Topic<>(prefix + "oddity.anomalies", Serdes.ByteArray(), AvroSerde.of(FlaggedEvent.class));
        deadLetters = new Topic<>(prefix + "oddity.dlq", Serdes.ByteArray(), AvroSerde.of(DeadLetter.class));
        models = new Topic<>(prefix + "oddity.models", Serdes.String(), AvroSerde.of(ModelAnnouncement.class));
        alerts = new Topic<>(prefix + "oddity.alerts", Serdes.ByteArray(), AvroSerde.of(DriftAlert.class));
        calibrationEvents = new Topic<>(prefix + "daq.calibration", Serdes.String(), eventSerde);
        calibrationSnapshots = new Topic<>(prefix + "oddity.calibration", Serdes.ByteArray(),
                AvroSerde.of(CalibrationSnapshot.class));
        windowSummaries = new Topic<>(prefix + "oddity.window-summaries", Serdes.ByteArray(),
                AvroSerde.of(WindowSummary.class));
    }

    /** The topics under {@code prefix} (may be empty). */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix);
    }

    /** Collision events from the DAQ: the input. */
    public Topic<String, CollisionEvent> events() {
        return events;
    }

    /** Flagged events: p-value at or below the loosest working point. */
    public Topic<byte[], FlaggedEvent> anomalies() {
        return anomalies;
    }

    /** Input that could not be scored, with the reason and the original bytes. */
    public Topic<byte[], DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Model announcements for hot swap, keyed by model name; compacted, so the latest per model stays. */
    public Topic<String, ModelAnnouncement> models() {
        return models;
    }

    /** Alerts for the shift crew, keyed by the UTF-8 alert key {@code kind|cell|subject}. */
    public Topic<byte[], DriftAlert> alerts() {
        return alerts;
    }

    /** Unbiased events (zero-bias or prescaled) for online calibration, keyed like the events. */
    public Topic<String, CollisionEvent> calibrationEvents() {
        return calibrationEvents;
    }

    /**
     * Online calibration snapshots, keyed by (model version, source, cell); compacted, so the
     * latest snapshot of every source stays, and read by every instance.
     */
    public Topic<byte[], CalibrationSnapshot> calibrationSnapshots() {
        return calibrationSnapshots;
    }

    /**
     * Partial monitoring aggregates of each task per (window, cell), keyed by window and cell;
     * one partition, so that one monitor task sees every window in order.
     */
    public Topic<byte[], WindowSummary> windowSummaries() {
        return windowSummaries;
    }

    /**
     * The codec of the events topic's values, for publishers; the scoring topology reads with one
     * that also knows the writer schemas of setting {@code events.writer-schemas}.
     */
    public AvroCodec<CollisionEvent> eventCodec() {
        return eventSerde.codec();
    }

    /** Every topic of the catalogue, each with its serdes. */
    public List<Topic<?, ? extends SpecificRecord>> all() {
        return List.of(events, anomalies, deadLetters, models, alerts, calibrationEvents, calibrationSnapshots,
                windowSummaries);
    }

    /** The catalogue's topic of full name {@code name} (prefix included), if there is one. */
    public Optional<Topic<?, ? extends SpecificRecord>> named(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Names of the topics the scoring application reads or writes today. */
    public List<String> scoringTopicNames() {
        return List.of(events.name(), anomalies.name(), deadLetters.name(), models.name(), alerts.name(),
                calibrationEvents.name(), calibrationSnapshots.name(), windowSummaries.name());
    }

    /**
     * The scoring application's topics as they should be created, each partition with
     * {@code replicationFactor} replicas (-1: the broker's default): data topics with
     * {@code partitions} partitions; the models and calibration-snapshot topics with one
     * partition, compacted, because every instance reads all of them and only the latest
     * announcement per model, or snapshot per source and cell, matters; the window summaries with
     * one partition, read by one monitor task.
     *
     * <p>The topics oddity writes (flagged events, dead letters, alerts, window summaries) take
     * the time the broker appends a record, not the event's time, which the payloads carry:
     * replaying a run of last month would otherwise hand the broker records that time-based
     * retention deletes at its next check.
     */
    public List<NewTopic> scoringTopics(int partitions, int replicationFactor) {
        return scoringTopics(partitions, replicationFactor, TimestampType.LOG_APPEND_TIME);
    }

    /**
     * As {@link #scoringTopics(int, int)}, with {@code outputTimestamps} on the topics oddity writes;
     * {@code oddity bench} keeps the producers' time, which Kafka Streams carries from each event
     * to its outputs, to measure latency.
     */
    public List<NewTopic> scoringTopics(int partitions, int replicationFactor, TimestampType outputTimestamps) {
        Map<String, String> stamped = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, outputTimestamps.name);
        List<NewTopic> out = new ArrayList<>();
        for (String name : List.of(events.name(), calibrationEvents.name())) {
            out.add(newTopic(name, partitions, replicationFactor));
        }
        for (String name : List.of(anomalies.name(), deadLetters.name(), alerts.name())) {
            out.add(newTopic(name, partitions, replicationFactor).configs(stamped));
        }
        for (String name : List.of(models.name(), calibrationSnapshots.name())) {
            out.add(newTopic(name, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        out.add(newTopic(windowSummaries.name(), 1, replicationFactor).configs(stamped));
        return out;
    }

    /**
     * Topic {@code name} as it should be created: {@code partitions} partitions of
     * {@code replicationFactor} replicas each, -1 for the broker's default.replication.factor
     * (setting {@code topics.replication-factor}).
     */
    public static NewTopic newTopic(String name, int partitions, int replicationFactor) {
        return new NewTopic(name, Optional.of(partitions),
                replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor));
    }
}
