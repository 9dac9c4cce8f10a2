package org.oddity.cli;

import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.TopicAdmin;
import org.oddity.kafka.TopicTail;
import org.oddity.topology.Topic;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddity tail}: prints one of oddity's topics as JSON lines, decoded with oddity's schemas. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines, one object per record: topic, partition, offset,"
                + " timestamp (ms) and key of the record, and its value with the fields of its Avro schema (unions"
                + " as their value, enums as strings, bytes as base64).",
            "TOPIC is anomalies, alerts, dlq or window-summaries (under setting topics.prefix), or the full name of"
                + " one of oddity's topics under any prefix, e.g. run7.oddity.alerts. Reads committed records only,"
                + " in no consumer group: nothing is committed.",
            "By default only records written from now on, up to the end offsets seen at start: give --from-beginning"
                + " for what is there already, --follow to keep reading until Ctrl-C."})
final class TailCommand extends OddityCommand {

    /** The short names TOPIC takes, in the order the help and errors list them. */
    private static final List<String> SHORT_NAMES = List.of("anomalies", "alerts", "dlq", "window-summaries");
    private static final Topics UNPREFIXED = Topics.withPrefix("");

    @Parameters(index = "0", paramLabel = "TOPIC",
            description = "anomalies, alerts, dlq, window-summaries, or a full topic name of oddity's.")
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the oldest record of each partition.")
    boolean fromBeginning;

    @Option(names = "--follow", description = "Keep reading new records until Ctrl-C, instead of stopping at the end"
            + " offsets seen at start.")
    boolean follow;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Override
    int run(OdditySettings settings) throws Exception {
        if (max != null) {
            CommandLineChecks.inRange("--max", max, 1, Long.MAX_VALUE);
        }
        String bootstrapServers = settings.kafka().bootstrapServers();
        if (bootstrapServers.isEmpty()) {
            throw new InvalidSettingException("bootstrap.servers", "", "oddity tail needs a Kafka cluster: give"
                    + " --bootstrap-servers or ODDITY_BOOTSTRAP_SERVERS");
        }
        Topic<?, ? extends SpecificRecord> topic = resolve(Topics.withPrefix(settings.kafka().topicPrefix()));
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        if (!TopicAdmin.missing(cluster, List.of(topic.name())).isEmpty()) {
            System.err.println("oddity: topic " + topic.name() + " does not exist on " + bootstrapServers);
            return 1;
        }
        if (!fromBeginning && !follow) {
            // From the end up to the end offsets seen at start is nothing: say so rather than exit silently.
            System.err.println("oddity: nothing to print from the end of " + topic.name() + " without --follow; give"
                    + " --from-beginning, --follow or both");
            return 0;
        }
        try (ShutdownSignal stop = new ShutdownSignal();
                TopicTail tail = TopicTail.open(cluster, topic, fromBeginning)) {
            tail.copyTo(System.out, System.err, max == null ? Long.MAX_VALUE : max, follow, stop::stopRequested);
        }
        return 0;
    }

    private Topic<?, ? extends SpecificRecord> resolve(Topics topics) {
        return switch (topicName) {
            case "anomalies" -> topics.anomalies();
            case "alerts" -> topics.alerts();
            case "dlq" -> topics.deadLetters();
            case "window-summaries" -> topics.windowSummaries();
            default -> byFullName().orElseThrow(() -> new InvalidSettingException("TOPIC", topicName,
                    "expected one of " + SHORT_NAMES + " or a full topic name: any prefix, then one of "
                            + UNPREFIXED.all().stream().map(Topic::name).toList()));
        };
    }

    /**
     * The catalogue's topic of that full name under whatever prefix it has, so that a name copied
     * from the cluster's topic list works without setting topics.prefix to match.
     */
    private Optional<Topic<?, ? extends SpecificRecord>> byFullName() {
        return UNPREFIXED.all().stream().map(Topic::name).filter(topicName::endsWith).findFirst()
                .flatMap(base -> Topics.withPrefix(topicName.substring(0, topicName.length() - base.length()))
                        .named(topicName));
    }
}
