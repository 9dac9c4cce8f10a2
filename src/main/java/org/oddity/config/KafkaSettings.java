package org.oddity.config;

import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.matching;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka cluster, how oddity's clients connect to it, and the topics oddity uses on it.
 *
 * @param bootstrapServers        host:port[,host:port...]; empty where a command may start a local broker
 * @param topicPrefix             put in front of every topic name
 * @param topicPartitions         partitions of the topics oddity creates itself
 * @param topicReplicationFactor  replicas of each partition of the topics oddity and its Kafka Streams
 *                                application create; -1 for the broker's default
 * @param eventWriterSchemas      directory of newer writer schemas of the events, or null if none is set
 * @param clientProperties        the {@code kafka.*} settings by key, e.g. {@code kafka.security.protocol}:
 *                                Kafka's own client properties, checked against Kafka's config
 *                                definitions by {@code org.oddity.client}, which this package does not know
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int topicPartitions,
        int topicReplicationFactor, Path eventWriterSchemas, Map<String, String> clientProperties) {

    /** Kafka's largest replication factor (a short). */
    private static final int MAX_REPLICATION_FACTOR = Short.MAX_VALUE;

    /** Copies the client properties into an unmodifiable map in key order. */
    public KafkaSettings {
        clientProperties = Collections.unmodifiableSortedMap(new TreeMap<>(clientProperties));
    }

    /** Keys {@code bootstrap.servers}, {@code kafka.*}, {@code topics.*} and {@code events.writer-schemas}. */
    static KafkaSettings from(SettingsSource source) {
        return new KafkaSettings(
                matching(source, "bootstrap.servers",
                        "([A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5})*)?",
                        "expected host:port[,host:port...]"),
                matching(source, "topics.prefix", "[A-Za-z0-9._\\-]{0,100}",
                        "expected up to 100 letters, digits, '.', '_' or '-'"),
                intIn(source, "topics.partitions", 1, 1000),
                replicationFactor(source, "topics.replication-factor"),
                writerSchemas(source.get("events.writer-schemas")),
                source.prefixed(SettingsSource.KAFKA_PREFIX));
    }

    /** The values of the client properties are left out: some are passwords. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                + ", topicPartitions=" + topicPartitions + ", topicReplicationFactor=" + topicReplicationFactor
                + ", eventWriterSchemas=" + eventWriterSchemas + ", clientProperties=" + clientProperties.keySet()
                + "]";
    }

    private static int replicationFactor(SettingsSource source, String key) {
        String raw = source.get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v == -1 || v >= 1 && v <= MAX_REPLICATION_FACTOR) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw new InvalidSettingException(key, raw, "expected an integer in [1, " + MAX_REPLICATION_FACTOR
                + "], or -1 for the broker's default.replication.factor");
    }

    private static Path writerSchemas(String dir) {
        return dir.isEmpty() ? null : Path.of(dir);
    }
}
