package org.oddity.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/** A kind of Kafka client oddity makes, with Kafka's own definition of its configs. */
enum ClientKind {

    /** {@code KafkaProducer}. */
    PRODUCER("producer", "producer", ProducerConfig.configDef(), StreamsConfig::producerPrefix),
    /** {@code KafkaConsumer}. */
    CONSUMER("consumer", "consumer", ConsumerConfig.configDef(), StreamsConfig::consumerPrefix),
    /** {@code Admin}. */
    ADMIN("admin", "admin client", AdminClientConfig.configDef(), StreamsConfig::adminClientPrefix),
    /** {@code KafkaStreams}, for its own configs; it passes client configs on to its clients. */
    STREAMS("streams", "Kafka Streams", StreamsConfig.configDef(), UnaryOperator.identity());

    /** The kinds of plain client: what a {@code kafka.PROP} setting must be a config of. */
    static final List<ClientKind> CLIENTS = List.of(PRODUCER, CONSUMER, ADMIN);

    private final String prefix;
    private final String description;
    private final Map<String, ConfigDef.ConfigKey> configs;
    /** Kafka's names by their spelling with '.' for '_' and '-', as environment variables give them. */
    private final Map<String, String> byDottedName = new HashMap<>();
    private final UnaryOperator<String> inStreams;

    ClientKind(String prefix, String description, ConfigDef definition, UnaryOperator<String> inStreams) {
        this.prefix = prefix + ".";
        this.description = description;
        this.configs = definition.configKeys();
        this.inStreams = inStreams;
        for (String name : configs.keySet()) {
            byDottedName.put(dotted(name), name);
        }
    }

    /** The setting prefix after {@code kafka.}, e.g. {@code producer.}. */
    String prefix() {
        return prefix;
    }

    /** How a message names this kind, e.g. {@code admin client}. */
    String description() {
        return description;
    }

    /**
     * Kafka's name of the config spelled {@code name}, or null if this kind has none. A name from
     * an environment variable has '.' for '_' (two Kafka Streams configs have one), so a name
     * that is not Kafka's own is matched with '_' and '-' read as '.'.
     */
    String kafkaName(String name) {
        return configs.containsKey(name) ? name : byDottedName.get(dotted(name));
    }

    /** Kafka's definition of config {@code kafkaName} of this kind; null if it has none. */
    ConfigDef.ConfigKey definition(String kafkaName) {
        return configs.get(kafkaName);
    }

    /** The name under which Kafka Streams passes {@code kafkaName} to clients of this kind alone. */
    String inStreams(String kafkaName) {
        return inStreams.apply(kafkaName);
    }

    /** The kind whose prefix {@code property} (a setting key without {@code kafka.}) starts with, or null. */
    static ClientKind ofPrefixed(String property) {
        for (ClientKind kind : values()) {
            if (property.startsWith(kind.prefix)) {
                return kind;
            }
        }
        return null;
    }

    /** Whether some kind defines {@code kafkaName} as a password, whose value Kafka itself prints as [hidden]. */
    static boolean isSecret(String kafkaName) {
        for (ClientKind kind : values()) {
            ConfigDef.ConfigKey key = kind.configs.get(kafkaName);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    private static String dotted(String name) {
        return name.replace('_', '.').replace('-', '.');
    }
}
