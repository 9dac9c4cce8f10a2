package org.oddity.kafka;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topic;

/**
 * Copies the records of one topic to a stream as JSON lines ({@link JsonLine}), like a console
 * consumer that knows oddity's schemas. It reads what a read_committed consumer sees, so no flag
 * of an aborted exactly-once transaction shows up, and belongs to no consumer group: it takes every
 * partition and positions itself, so it commits nothing and leaves nothing behind on the cluster,
 * however many people tail the same topic.
 */
public final class TopicTail implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<?, ? extends SpecificRecord> topic;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> ends;

    private TopicTail(KafkaConsumer<byte[], byte[]> consumer, Topic<?, ? extends SpecificRecord> topic,
            List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        this.consumer = consumer;
        this.topic = topic;
        this.partitions = partitions;
        this.ends = ends;
    }

    /**
     * A tail of {@code topic} on {@code cluster}, positioned at the start of
     * every partition if {@code fromBeginning}, else at the end, which it also notes as the end
     * offsets seen at start.
     *
     * @throws KafkaUnavailableException if no broker is reachable, or the topic does not exist
     */
    public static TopicTail open(KafkaClientSettings cluster, Topic<?, ? extends SpecificRecord> topic,
            boolean fromBeginning) throws KafkaUnavailableException {
        String bootstrapServers = cluster.bootstrapServers();
        BootstrapProbe.requireReachable(cluster);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "oddity-tail",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Looking at a topic must not create it.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // Should retention delete records before they are read, go on from the oldest left, not from the end.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new KafkaUnavailableException(bootstrapServers, "topic " + topic.name() + " does not exist");
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            return new TopicTail(consumer, topic, partitions, consumer.endOffsets(partitions, METADATA_TIMEOUT));
        } catch (KafkaUnavailableException e) {
            consumer.close();
            throw e;
        } catch (KafkaException e) {
            consumer.close();
            throw new KafkaUnavailableException(bootstrapServers, e);
        }
    }

    /**
     * Writes each record to {@code out} as one JSON line until {@code max} records are written,
     * {@code stop} says so, {@code out} fails (the reader of a pipe went away), or, unless
     * {@code follow}, every partition is read to its end offset seen at start. A record that does
     * not decode is reported on {@code err} with its place and skipped. Returns the lines written.
     */
    public long copyTo(PrintStream out, PrintStream err, long max, boolean follow, BooleanSupplier stop) {
        Deserializer<? extends SpecificRecord> values = topic.valueSerde().deserializer();
        long written = 0;
        while (written < max && !stop.getAsBoolean() && (follow || !caughtUp()) && !out.checkError()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (written == max) {
                    break;
                }
                SpecificRecord value;
                try {
                    value = values.deserialize(r.topic(), r.value());
                } catch (SerializationException e) {
                    err.println("oddity: skipped " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                            + e.getMessage());
                    continue;
                }
                out.println(JsonLine.of(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), value));
                written++;
            }
        }
        out.flush();
        return written;
    }

    private boolean caughtUp() {
        return partitions.stream().allMatch(p -> consumer.position(p, METADATA_TIMEOUT) >= ends.get(p));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
