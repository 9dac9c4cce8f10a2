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
import org.oddity.kafka.KafkaUnavailableException;
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
    /** How often the run looks whether the application stopped by itself, between status lines. */
    private static final Duration STOP_CHECK = Duration.ofSeconds(1);

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
                InstanceMetrics metrics = InstanceMetrics.start(settings, topics, counters, active, System.out);
                ScoringApplication app = start(cluster, topics, settings, active, counters, metrics)) {
            metrics.watch(app);
            System.out.printf("scoring %s with model %s (%s) on %s%n", topics.events().name(),
                    model.bundle().manifest().name(), model.bundle().version(), cluster.bootstrapServers());
            return untilStopped(app, stop, interval, cluster, counters, active);
        }
    }

    /**
     * Starts scoring; a cluster that refuses the credentials or permissions of Kafka Streams'
     * clients (which may differ from the admin client's, through kafka.consumer.* and the like)
     * stops the run in one line, as at the checks before.
     */
    private static ScoringApplication start(KafkaClientSettings cluster, Topics topics, OdditySettings settings,
            ActiveModel active, CellCounters counters, InstanceMetrics metrics) throws KafkaUnavailableException {
        try {
            return ScoringApplication.start(topics, settings, active, counters, metrics.latencies(),
                    metrics.registry());
        } catch (RuntimeException e) {
            if (KafkaUnavailableException.isRefusal(e)) {
                throw new KafkaUnavailableException(cluster.bootstrapServers(), e);
            }
            throw e;
        }
    }

    /**
     * Prints a status line every {@code interval} until a stop is requested (exit code 0) or the
     * application stops by itself: for a refusal of its credentials or permissions, which waiting
     * would not mend, the cluster's one line; else the state it stopped in (exit code 1).
     */
    private static int untilStopped(ScoringApplication app, ShutdownSignal stop, Duration interval,
            KafkaClientSettings cluster, CellCounters counters, ActiveModel active)
            throws InterruptedException, KafkaUnavailableException {
        long lastEvents = 0;
        long nextStatus = System.nanoTime() + interval.toNanos();
        while (!stop.awaitStop(Math.min(STOP_CHECK.toMillis(), interval.toMillis()))) {
            if (app.stopped()) {
                if (KafkaUnavailableException.isRefusal(app.failure())) {
                    throw new KafkaUnavailableException(cluster.bootstrapServers(), app.failure());
                }
                System.err.println("oddity: scoring application stopped in state " + app.state());
                return 1;
            }
            if (System.nanoTime() - nextStatus >= 0) {
                long events = counters.totalEvents();
                System.out.printf("%s: %,d events scored (%,.0f/s), %,d flagged, %,d dead letters, model %s%n",
                        app.state(), events, (events - lastEvents) / (interval.toMillis() / 1000.0),
                        counters.totalFlagged(), counters.totalDeadLetters(), active.current().bundle().version());
                lastEvents = events;
                nextStatus += interval.toNanos();
            }
        }
        return 0;
    }
}
