package org.oddity.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topic;

/** Reads the whole of a topic as a read_committed consumer sees it now: committed records only. */
public final class CommittedTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private CommittedTopic() {
    }

    /** The committed values of {@code topic} from its first offset to its last stable offset, per partition in order. */
    public static <V> List<V> read(KafkaClientSettings cluster, Topic<?, V> topic) {
        List<V> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records(cluster, topic.name())) {
            out.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
        return out;
    }

    /** The committed records of topic {@code name}, undecoded, with their timestamps. */
    public static List<ConsumerRecord<byte[], byte[]>> records(KafkaClientSettings cluster, String name) {
        Map<String, Object> config = cluster.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(name, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + name + " to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
