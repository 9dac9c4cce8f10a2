package org.oddity.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.config.ProcessingGuarantee;

/**
 * Kafka Streams configuration for the scoring application, derived from the settings, with the
 * {@code kafka.*} client properties (security, tuning) of {@link KafkaClientSettings} over it.
 */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /**
     * The properties for {@code settings}. Batching is raised from the client defaults (linger
     * 5 ms, 256 KB producer batches, polls of 2,000 records) because a trigger stream is many
     * small records: larger batches and polls cost little latency at these rates. A pass-through
     * app tuned further (linger 20 ms, fetch.min.bytes 64 KB) ran about twice as fast as with the
     * defaults (docs/reference.md); {@code oddity bench} measures these, and the settings
     * {@code kafka.producer.*} and {@code kafka.consumer.*} change them.
     */
    public static Properties of(OdditySettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.streams().applicationId());
        // The changelog and repartition topics Kafka Streams creates are oddity's topics too.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.kafka().topicReplicationFactor());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streams().threads());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.streams().standbyReplicas());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee(settings.streams().processingGuarantee()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.workDir().resolve("streams-state").toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // Opt in now to what Kafka 5.0 makes the default, as Kafka's start-up warning asks. The key's
        // constant is already deprecated (it goes away with the choice), hence the literal.
        props.put("processing.exception.handler.global.enabled", true);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        if (!settings.streams().commitInterval().isZero()) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.streams().commitInterval().toMillis());
        }
        // Static membership: Kafka Streams adds the thread's number to the name for each stream thread.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId(settings));
        return KafkaClientSettings.of(settings.kafka()).streams(props);
    }

    /**
     * The instance's name in the consumer group: the setting, or else a name made on first start
     * and kept in {@code work.dir/instance-id}. The work directory holds the instance's state
     * store directory too, which Kafka Streams locks, so two running instances never share it.
     */
    public static String instanceId(OdditySettings settings) {
        if (!settings.streams().instanceId().isEmpty()) {
            return settings.streams().instanceId();
        }
        Path file = settings.workDir().resolve("instance-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(settings.workDir());
            String id = settings.streams().applicationId() + "-" + UUID.randomUUID();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep this instance's name in " + file, e);
        }
    }

    /** Kafka's name for {@code guarantee}. */
    private static String guarantee(ProcessingGuarantee guarantee) {
        return switch (guarantee) {
            case AT_LEAST_ONCE -> StreamsConfig.AT_LEAST_ONCE;
            case EXACTLY_ONCE_V2 -> StreamsConfig.EXACTLY_ONCE_V2;
        };
    }
}
