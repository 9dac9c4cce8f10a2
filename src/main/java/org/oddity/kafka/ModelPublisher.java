package org.oddity.kafka;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topic;

/** Sends one model announcement to the models topic, keyed by model name, and waits for the broker's ack. */
public final class ModelPublisher {

    private static final long TIMEOUT_SECONDS = 30;
    /** Per request; the producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms. */
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private ModelPublisher() {
    }

    /** Where an announcement was written. */
    public record Written(String topic, long offset) {
    }

    /** Publishes {@code announcement} on {@code topic} of {@code cluster}; returns where it was written. */
    public static Written publish(KafkaClientSettings cluster, Topic<String, ModelAnnouncement> topic,
            ModelAnnouncement announcement) throws KafkaUnavailableException {
        Map<String, Object> config = cluster.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        try (KafkaProducer<String, ModelAnnouncement> producer = new KafkaProducer<>(config,
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic.name(), announcement.getModelName(),
                    announcement)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Written(written.topic(), written.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(cluster.bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new KafkaUnavailableException(cluster.bootstrapServers(), e);
        }
    }
}
