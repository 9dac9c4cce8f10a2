package org.oddity.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.KafkaStreams;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.TopicAdmin;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.topology.PassThroughTopology;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.StreamsProperties;
import org.oddity.topology.Topics;
import org.oddity.train.Progress;

/**
 * The whole-pipeline benchmark: oddity's scoring application against a bare pass-through
 * Kafka Streams application, in the same run, on the same broker, input and client settings.
 *
 * <p>Throughput: the events are published once; each round then runs the pass-through
 * application and the scoring application over the whole backlog, each from the first record
 * it processes to the last, so start-up and rebalancing are left out. Latency: each
 * application in turn reads a fresh topic while events are published at a fixed rate, and a
 * probe records send-to-output latency of what it writes (every copy for the pass-through,
 * the flagged events for oddity).
 */
public final class PipelineBenchmark {

    /** What one benchmark run measured. */
    public record Result(long events, int partitions, String model, List<Double> passThroughEventsPerSecond,
            List<Double> oddityEventsPerSecond, double throughputRatio, double latencyRate,
            LatencyProbe.Latency passThroughLatency, LatencyProbe.Latency oddityLatency) {
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 1;
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private final OdditySettings settings;
    private final KafkaClientSettings cluster;
    private final ScoringModel model;
    private final String runId = "bench-" + System.currentTimeMillis();
    private final PrintStream out;

    /** A benchmark on {@code settings}' cluster, scoring with {@code model}. */
    public PipelineBenchmark(OdditySettings settings, ScoringModel model, PrintStream out) {
        this.settings = settings;
        this.cluster = KafkaClientSettings.of(settings.kafka());
        this.model = model;
        this.out = out;
    }

    /**
     * Runs {@code rounds} throughput rounds over {@code events} events, then the latency phase at
     * {@code latencyRate} events/s for {@code latencyDuration} per application.
     */
    public Result run(long events, int rounds, double latencyRate, Duration latencyDuration, Progress publishing)
            throws Exception {
        Topics topics = topicsFor("throughput");
        String copies = topics.events().name() + ".copies";
        createTopics(topics, copies);
        try (EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
            DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(events, 3600), 5);
            AtomicLong sent = new AtomicLong();
            long published = publisher.publish(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return simulator.hasNext();
                }

                @Override
                public CollisionEvent next() {
                    publishing.update(sent.incrementAndGet());
                    return simulator.next();
                }
            }, 0, topics.eventCodec()::encode, () -> false);
            if (published != events) {
                throw new IllegalStateException("published " + published + " of " + events + " events");
            }
        }
        List<Double> passThrough = new ArrayList<>();
        List<Double> oddity = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            AtomicLong copied = new AtomicLong();
            try (KafkaStreams streams = new KafkaStreams(PassThroughTopology.build(topics.events().name(), copies,
                    copied),
                    StreamsProperties.of(settings.toBuilder().applicationId(runId + "-pass-" + round).build()))) {
                streams.start();
                passThrough.add(rate("pass-through", copied::get, events, () -> false));
            }
            out.printf("round %d: pass-through %,.0f events/s%n", round, passThrough.get(passThrough.size() - 1));
            CellCounters counters = new CellCounters(model.cells(), model.workingPoints().size());
            OdditySettings app = settings.toBuilder().applicationId(runId + "-oddity-" + round).build();
            try (ScoringApplication scoring = ScoringApplication.start(topics, app,
                    new ActiveModel(model, counters, app.calibration().minSize()), counters,
                    ScoringLatencies.of(app.metrics()), new SimpleMeterRegistry())) {
                oddity.add(rate("oddity", () -> counters.totalEvents() + counters.totalDeadLetters(), events,
                        scoring::stopped));
            }
            out.printf("round %d: oddity %,.0f events/s%n", round, oddity.get(oddity.size() - 1));
        }
        double ratio = median(oddity) / median(passThrough);
        LatencyProbe.Latency passLatency = passThroughLatency(latencyRate, latencyDuration);
        LatencyProbe.Latency oddityLatency = oddityLatency(latencyRate, latencyDuration);
        return new Result(events, settings.kafka().topicPartitions(), model.bundle().version(), passThrough, oddity,
                ratio, latencyRate, passLatency, oddityLatency);
    }

    private Topics topicsFor(String phase) {
        return Topics.withPrefix(settings.kafka().topicPrefix() + runId + "." + phase + ".");
    }

    private void createTopics(Topics topics, String copies) throws KafkaUnavailableException {
        // The latency probe reads an output's timestamp as its event's send time, which Kafka Streams carries over.
        int partitions = settings.kafka().topicPartitions();
        int replicationFactor = settings.kafka().topicReplicationFactor();
        List<NewTopic> all = new ArrayList<>(topics.scoringTopics(partitions, replicationFactor,
                TimestampType.CREATE_TIME));
        all.add(Topics.newTopic(copies, partitions, replicationFactor));
        TopicAdmin.ensure(cluster, all);
    }

    /** Events per second between the first and the last of {@code events} records {@code processed} counts. */
    private static double rate(String what, LongSupplier processed, long events, BooleanSupplier stopped)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long first;
        long atFirst;
        while ((atFirst = processed.getAsLong()) == 0) {
            check(what, stopped, deadline, 0, events);
            Thread.sleep(POLL_MILLIS);
        }
        first = System.nanoTime();
        long done;
        while ((done = processed.getAsLong()) < events) {
            check(what, stopped, deadline, done, events);
            Thread.sleep(POLL_MILLIS);
        }
        return (events - atFirst) / ((System.nanoTime() - first) / 1e9);
    }

    private static void check(String what, BooleanSupplier stopped, long deadline, long done, long events) {
        if (stopped.getAsBoolean() || System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " stopped at " + done + " of " + events + " events");
        }
    }

    private LatencyProbe.Latency passThroughLatency(double rate, Duration duration) throws Exception {
        Topics topics = topicsFor("latency-pass");
        String copies = topics.events().name() + ".copies";
        createTopics(topics, copies);
        AtomicLong copied = new AtomicLong();
        try (KafkaStreams streams = new KafkaStreams(PassThroughTopology.build(topics.events().name(), copies, copied),
                StreamsProperties.of(settings.toBuilder().applicationId(runId + "-latency-pass").build()))) {
            streams.start();
            awaitRunning(streams::state);
            return publishAndProbe(topics, copies, rate, duration, "pass-through");
        }
    }

    private LatencyProbe.Latency oddityLatency(double rate, Duration duration) throws Exception {
        Topics topics = topicsFor("latency-oddity");
        createTopics(topics, topics.events().name() + ".copies");
        CellCounters counters = new CellCounters(model.cells(), model.workingPoints().size());
        OdditySettings app = settings.toBuilder().applicationId(runId + "-latency-oddity").build();
        try (ScoringApplication scoring = ScoringApplication.start(topics, app,
                new ActiveModel(model, counters, app.calibration().minSize()), counters,
                    ScoringLatencies.of(app.metrics()), new SimpleMeterRegistry())) {
            awaitRunning(scoring::state);
            return publishAndProbe(topics, topics.anomalies().name(), rate, duration, "oddity");
        }
    }

    private static void awaitRunning(Supplier<KafkaStreams.State> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (state.get() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("application did not start: " + state.get());
            }
            Thread.sleep(50);
        }
    }

    private LatencyProbe.Latency publishAndProbe(Topics topics, String output, double rate, Duration duration,
            String what) throws Exception {
        long events = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        long warmUpEnd = System.currentTimeMillis() + WARM_UP.toMillis();
        try (LatencyProbe probe = new LatencyProbe(cluster, output, settings.kafka().topicPartitions(), warmUpEnd);
                EventPublisher publisher = EventPublisher.stampingSendTime(cluster, topics.events().name())) {
            publisher.publish(new DaqSimulator(SimulationPlan.standard(events, 3600), 6), rate,
                    topics.eventCodec()::encode, () -> false);
            // Let the last records through before reading the figures.
            Thread.sleep(1_000);
            LatencyProbe.Latency latency = probe.latency();
            out.printf("latency %s at %,.0f events/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d records%n", what,
                    rate, latency.p50Millis(), latency.p99Millis(), latency.maxMillis(), latency.samples());
            return latency;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
