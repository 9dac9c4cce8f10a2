package org.oddity.cli;

import org.oddity.config.OdditySettings;
import org.oddity.kafka.LocalKafkaBroker;
import org.oddity.kafka.TopicAdmin;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;

/** {@code oddity broker}: a local single-node Kafka with oddity's topics, until stopped. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start a real single-node KRaft Kafka on 127.0.0.1 with oddity's topics, until Ctrl-C.")
final class BrokerCommand extends OddityCommand {

    @Override
    int run(OdditySettings settings) throws Exception {
        try (ShutdownSignal stop = new ShutdownSignal();
                LocalKafkaBroker broker = KafkaCluster.startLocal(settings, settings.workDir())) {
            Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
            TopicAdmin.ensure(broker.clientSettings(), topics.scoringTopics(settings.kafka().topicPartitions(),
                    settings.kafka().topicReplicationFactor()));
            System.out.printf("Kafka on %s with topics %s (log: %s). Ctrl-C stops it.%n", broker.bootstrapServers(),
                    topics.scoringTopicNames(), broker.logFile());
            stop.awaitStop(Long.MAX_VALUE);
        }
        return 0;
    }
}
