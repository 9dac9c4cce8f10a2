package org.oddity.topology;

import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.OdditySettings;
import org.oddity.metrics.CellCounters;
import org.oddity.model.ScoringModel;

/**
 * Builds the scoring topology: events in, flagged events and dead letters out. The same value
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
    /** Sink node writing dead letters. */
    public static final String DEAD_LETTERS = "dead-letters";

    private AnomalyTopology() {
    }

    /** The topology for {@code settings}, scoring with {@code model} and counting into {@code counters}. */
    public static Topology build(Topics topics, OdditySettings settings, ScoringModel model, CellCounters counters,
            Clock clock) {
        AvroCodec<CollisionEvent> codec = topics.eventCodec();
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.events().name());
        topology.addProcessor(SCORER, () -> new ScoringProcessor(model, counters, settings.pValueMode(),
                settings.pValueSeed(), clock, codec), SOURCE);
        topology.addSink(ANOMALIES, topics.anomalies().name(), topics.anomalies().keySerde().serializer(),
                topics.anomalies().valueSerde().serializer(), SCORER);
        topology.addSink(DEAD_LETTERS, topics.deadLetters().name(), topics.deadLetters().keySerde().serializer(),
                topics.deadLetters().valueSerde().serializer(), SCORER);
        return topology;
    }
}
