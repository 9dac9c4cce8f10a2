package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.LocalKafkaBroker;

/**
 * The Kafka cluster demo and bench run on: the one the settings name, or else a local single-node
 * broker started for the command and stopped when this closes.
 *
 * @param settings the settings with this cluster's bootstrap servers
 * @param broker   the local broker, or null on the settings' own cluster
 */
record KafkaCluster(OdditySettings settings, LocalKafkaBroker broker) implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The settings' cluster, or, when they name none, a local broker with its data under
     * {@code dir/broker}, announced on {@code out}.
     */
    static KafkaCluster of(OdditySettings settings, Path dir, PrintStream out) throws IOException {
        if (!settings.kafka().bootstrapServers().isEmpty()) {
            return new KafkaCluster(settings, null);
        }
        LocalKafkaBroker broker = startLocal(settings, dir);
        out.println("local Kafka broker on " + broker.bootstrapServers() + " (log: " + broker.logFile() + ")");
        return new KafkaCluster(settings.toBuilder().bootstrapServers(broker.bootstrapServers()).build(), broker);
    }

    /**
     * A local single-node broker with its data under {@code dir/broker}, as the broker command
     * starts it too; refused before it starts if {@code settings} ask for more replicas than one
     * broker can hold.
     */
    static LocalKafkaBroker startLocal(OdditySettings settings, Path dir) throws IOException {
        requireOneReplica(settings);
        return LocalKafkaBroker.start(dir.resolve("broker"), STARTUP_TIMEOUT);
    }

    /**
     * Refuses, before a command trains or streams anything, settings that the local broker it
     * would start for want of a cluster could not hold.
     */
    static void checkLocal(OdditySettings settings) {
        if (settings.kafka().bootstrapServers().isEmpty()) {
            requireOneReplica(settings);
        }
    }

    private static void requireOneReplica(OdditySettings settings) {
        int replicationFactor = settings.kafka().topicReplicationFactor();
        if (replicationFactor > 1) {
            throw new InvalidSettingException("topics.replication-factor", Integer.toString(replicationFactor),
                    "a local broker is one broker: expected 1, or give the cluster's --bootstrap-servers");
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
