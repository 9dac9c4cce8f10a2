package org.oddity.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.oddity.bundle.ScoringModel;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.Durations;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.ClusterWatch;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.topology.EventWriterSchemas;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oddity run}: the scoring application alone, against an existing Kafka cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the scoring application against an existing Kafka cluster until stopped (Ctrl-C, SIGTERM).")
final class RunCommand extends OddityCommand {

    private static final Duration CLUSTER_CHECK_INTERVAL = Duration.ofSeconds(2);

    @Option(names = "--create-topics", description = "Create missing topics (partitions: setting topics.partitions).")
    boolean createTopics;

    @Option(names = "--status-every", defaultValue = "30s", paramLabel = "DURATION",
            description = "How often to print a status line, e.g. 30s or 5m (default ${DEFAULT-VALUE}).")
    String statusEvery;

    @Override
    int run(OdditySettings settings) throws Exception {
        Duration interval = Durations.parse("--status-every", statusEvery);
        if (settings.kafka().bootstrapServers().isEmpty()) {
            throw new InvalidSettingException("bootstrap.servers", "", "oddity run needs a Kafka cluster: give"
                    + " --bootstrap-servers or ODDITY_BOOTSTRAP_SERVERS (oddity demo starts a local one)");
        }
        if (settings.modelBundle() == null) {
            throw new InvalidSettingException("model.bundle", "", "oddity run needs a model bundle: give --bundle DIR"
                    + " (oddity train writes one)");
        }
        ScoringModel model = ModelLoader.scoringModel(settings);
        // Read now, though the topology reads them again, so that a bad schema stops before any connection.
        EventWriterSchemas.load(settings.kafka().eventWriterSchemas());
        Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
        List<String> needed = topics.scoringTopicNames();
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        if (createTopics) {
            TopicAdmin.ensure(cluster, topics.scoringTopics(settings.kafka().topicPartitions(),
                    settings.kafka().topicReplicationFactor()));
        }
        // One look at the cluster for both checks: which topics exist, and the shape of the one that must have one.
        // It is also the first request with oddity's credentials: a cluster that refuses them stops the run here.
        Map<String, Integer> partitions = TopicAdmin.partitions(cluster, needed);
        List<String> missing = needed.stream().filter(name -> !partitions.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            System.err.println("oddity: topics missing on " + cluster.bootstrapServers() + ": " + missing
                    + " (create them, or pass --create-topics)");
            return 1;
        }
        String summaries = topics.windowSummaries().name();
        int summaryPartitions = partitions.get(summaries);
        if (settings.monitoring().enabled() && summaryPartitions != 1) {
            System.err.println("oddity: topic " + summaries + " has " + summaryPartitions + " partitions; the monitor"
                    + " needs exactly 1 to see every window's partials (recreate it with one, or set"
                    + " monitor.enabled=false)");
            return 1;
        }
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, settings.calibration().minSize(),
                settings.calibration().online().enabled());
        ClusterWatch watch = ClusterWatch.start(cluster, CLUSTER_CHECK_INTERVAL, System.err);
        try (watch;
                ShutdownSignal stop = new ShutdownSignal();
                InstanceMetrics metrics = InstanceMetrics.start(settings.metrics(), counters, active, System.out);
                ScoringApplication app = ScoringApplication.start(topics, settings, active, counters,
                        metrics.latencies(), metrics.registry())) {
            System.out.printf("scoring %s with model %s (%s) on %s%n", topics.events().name(),
                    model.bundle().manifest().name(), model.bundle().version(), cluster.bootstrapServers());
            long lastEvents = 0;
            while (!stop.awaitStop(interval.toMillis())) {
                if (app.stopped()) {
                    System.err.println("oddity: scoring application stopped in state " + app.state());
                    return 1;
                }
                long events = counters.totalEvents();
                System.out.printf("%s: %,d events scored (%,.0f/s), %,d flagged, %,d dead letters, model %s%n",
                        app.state(), events, (events - lastEvents) / (interval.toMillis() / 1000.0),
                        counters.totalFlagged(), counters.totalDeadLetters(), active.current().bundle().version());
                lastEvents = events;
            }
        }
        return 0;
    }
}
