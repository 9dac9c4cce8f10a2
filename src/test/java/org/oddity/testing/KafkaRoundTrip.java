package org.oddity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.oddity.client.KafkaClientSettings;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.TopicAdmin;

/** Writes string records to a topic and reads a topic back from its start: the smallest proof that a broker works. */
public final class KafkaRoundTrip {

    private KafkaRoundTrip() {
    }

    /** {@code count} records {@code key-i -> value-i}, in order. */
    public static Map<String, String> numberedRecords(int count) {
        Map<String, String> records = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            records.put("key-" + i, "value-" + i);
        }
        return records;
    }

    /** Sends the records with acks=all and waits until the broker has acknowledged every one. */
    public static void produce(KafkaClientSettings cluster, String topic, Map<String, String> records) {
        Map<String, Object> config = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            records.forEach((key, value) -> sent.add(producer.send(new ProducerRecord<>(topic, key, value))));
            for (var ack : sent) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }

    /**
     * Reads every partition of the topic from the beginning until {@code expected} records have
     * arrived or the timeout passes, and returns what arrived. No consumer group: a group join
     * would only add a rebalance to a test about the broker.
     */
    public static List<ConsumerRecord<String, String>> consume(KafkaClientSettings cluster, String topic,
            int expected, Duration timeout) {
        Map<String, Object> config = cluster.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }

    /**
     * Creates a one-partition {@code topic} (waiting for its leader, as the application does),
     * sends {@code records} numbered records and asserts that all of them come back, in order.
     */
    public static void assertRoundTripInOrder(KafkaClientSettings cluster, String topic, int records) {
        try {
            TopicAdmin.ensure(cluster, 1, 1, List.of(topic));
        } catch (KafkaUnavailableException e) {
            throw new IllegalStateException("Could not create topic " + topic, e);
        }
        Map<String, String> sent = numberedRecords(records);
        produce(cluster, topic, sent);
        List<ConsumerRecord<String, String>> received = consume(cluster, topic, records,
                Duration.ofSeconds(30));
        assertEquals(records, received.size());
        Map<String, String> receivedInOrder = new LinkedHashMap<>();
        received.forEach(r -> receivedInOrder.put(r.key(), r.value()));
        assertEquals(List.copyOf(sent.entrySet()), List.copyOf(receivedInOrder.entrySet()),
                "one partition keeps the order");
    }
}
