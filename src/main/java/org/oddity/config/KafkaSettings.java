package org.oddity.config;

import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.matching;

import java.nio.file.Path;

/**
 * The Kafka cluster and the topics oddity uses on it.
 *
 * @param bootstrapServers host:port[,host:port...]; empty where a command may start a local broker
 * @param topicPrefix      put in front of every topic name
 * @param topicPartitions  partitions of the topics oddity creates itself
 * @param eventWriterSchemas directory of newer writer schemas of the events, or null if none is set
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int topicPartitions,
        Path eventWriterSchemas) {

    /** Keys {@code bootstrap.servers}, {@code topics.*} and {@code events.writer-schemas}. */
    static KafkaSettings from(SettingsSource source) {
        return new KafkaSettings(
                matching(source, "bootstrap.servers",
                        "([A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5})*)?",
                        "expected host:port[,host:port...]"),
                matching(source, "topics.prefix", "[A-Za-z0-9._\\-]{0,100}",
                        "expected up to 100 letters, digits, '.', '_' or '-'"),
                intIn(source, "topics.partitions", 1, 1000),
                writerSchemas(source.get("events.writer-schemas")));
    }

    private static Path writerSchemas(String dir) {
        return dir.isEmpty() ? null : Path.of(dir);
    }
}
