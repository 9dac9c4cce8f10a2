package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.oddity.avro.CollisionEvent;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.eventfile.AvroEventFileWriter;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.InvalidScenarioException;
import org.oddity.sim.Scenario;
import org.oddity.sim.SimulationPlan;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oddity simulate}: a simulated DAQ stream, optionally with signals and detector faults from a scenario
 * file, written to an Avro container file or published to the events topic.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a DAQ stream (LHC fills, pileup, detector states; signals and detector faults from a"
                + " scenario file) into an Avro container file (--output) or the events topic of a Kafka cluster.",
            "Without --scenario: one standard one-hour fill, pileup 60 down to 25, no signals, no faults."})
final class SimulateCommand extends OddityCommand {

    /**
     * Event-time length of the standard fill (pileup 60 down to 25): what simulate, evaluate and demo
     * stream without --scenario, and what demo and bench train their default bundle on.
     */
    static final double STANDARD_FILL_SECONDS = 3600;
    /** Events between updates of the progress bar and checks for Ctrl-C. */
    private static final int CHECK_EVERY = 1024;
    /** Events between looks at the clock when paced: the stream is never more than 64 events ahead. */
    private static final int PACE_EVERY = 64;
    private static final String BACKGROUND = "(background)";

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario file (YAML or JSON): run, fills, detector schedule, signals, faults.")
    Path scenario;

    @Option(names = "--events", defaultValue = "1000000", paramLabel = "N",
            description = "Events to simulate over the whole run (default ${DEFAULT-VALUE}).")
    long events;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--output", paramLabel = "FILE.avro",
            description = "Write an Avro container file instead of publishing to the events topic.")
    Path output;

    @Option(names = "--codec", defaultValue = "null",
            description = "Block codec of --output: null, deflate or snappy (default ${DEFAULT-VALUE}).")
    String codec;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Events per second of wall clock; 0 is as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--create-topics", description = "Create the events topic if it is missing.")
    boolean createTopics;

    @Override
    int run(OdditySettings settings) throws Exception {
        CommandLineChecks.inRange("--events", events, 1, 1e12);
        CommandLineChecks.inRange("--rate", rate, 0, 1e8);
        if (!AvroEventFileWriter.CODECS.contains(codec)) {
            throw new InvalidSettingException("--codec", codec, "expected one of " + AvroEventFileWriter.CODECS);
        }
        if (output == null && settings.kafka().bootstrapServers().isEmpty()) {
            throw new InvalidSettingException("bootstrap.servers", "", "oddity simulate needs --output FILE.avro or a"
                    + " Kafka cluster (--bootstrap-servers or ODDITY_BOOTSTRAP_SERVERS)");
        }
        SimulationPlan plan = plan(scenario, events);
        LabelTally stream = new LabelTally(new DaqSimulator(plan, seedOption.seed),
                new ProgressBar("simulate", events));
        long start = System.nanoTime();
        String destination;
        try (ShutdownSignal stop = new ShutdownSignal()) {
            if (output != null) {
                writeFile(stream, stop);
                destination = output.toString();
            } else {
                Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
                String topic = topics.events().name();
                KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
                if (createTopics) {
                    TopicAdmin.ensure(cluster, settings.kafka().topicPartitions(),
                            settings.kafka().topicReplicationFactor(), List.of(topic));
                }
                if (!TopicAdmin.missing(cluster, List.of(topic)).isEmpty()) {
                    System.err.println("oddity: topic " + topic + " is missing on " + cluster.bootstrapServers()
                            + " (create it, or pass --create-topics)");
                    return 1;
                }
                try (EventPublisher publisher = new EventPublisher(cluster, topic)) {
                    publisher.publish(stream, rate, topics.eventCodec()::encode, stop::stopRequested);
                }
                destination = topic + " on " + cluster.bootstrapServers();
            }
        }
        stream.print(System.out, destination, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /**
     * The plan of {@code events} events over {@code scenario}, or over the standard fill when it is null; a
     * scenario that cannot be read stops with one line naming --scenario. Shared with evaluate.
     */
    static SimulationPlan plan(Path scenario, long events) {
        if (scenario == null) {
            return SimulationPlan.standard(events, STANDARD_FILL_SECONDS);
        }
        try {
            return Scenario.read(scenario).plan(events);
        } catch (InvalidScenarioException e) {
            throw new InvalidSettingException("--scenario", scenario.toString(), e.getMessage());
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException("--scenario", scenario.toString(), "no such file");
        } catch (IOException e) {
            throw new InvalidSettingException("--scenario", scenario.toString(), "cannot read it: " + e.getMessage());
        }
    }

    /** Every event, or until Ctrl-C: the file is closed properly either way, so it stays a valid container. */
    private void writeFile(LabelTally stream, ShutdownSignal stop) throws IOException {
        Map<String, String> provenance = Map.of("oddity.seed", Long.toString(seedOption.seed), "oddity.events",
                Long.toString(events), "oddity.scenario", scenario == null ? "standard" : scenario.toString());
        double nanosPerEvent = rate > 0 ? 1e9 / rate : 0;
        long start = System.nanoTime();
        try (AvroEventFileWriter writer = AvroEventFileWriter.create(output, codec, provenance)) {
            for (long i = 0; stream.hasNext(); i++) {
                if (i % CHECK_EVERY == 0 && stop.stopRequested()) {
                    break;
                }
                if (nanosPerEvent > 0 && i % PACE_EVERY == 0) {
                    long ahead = start + (long) (i * nanosPerEvent) - System.nanoTime();
                    if (ahead > 0) {
                        LockSupport.parkNanos(ahead);
                    }
                }
                writer.append(stream.next());
            }
        }
    }

    /** Passes events through, counting them per truth label and driving the progress bar. */
    private static final class LabelTally implements Iterator<CollisionEvent> {

        private final Iterator<CollisionEvent> events;
        private final ProgressBar progress;
        private final Map<String, Long> labelled = new TreeMap<>();
        private long count;
        private long background;

        LabelTally(Iterator<CollisionEvent> events, ProgressBar progress) {
            this.events = events;
            this.progress = progress;
        }

        @Override
        public boolean hasNext() {
            boolean more = events.hasNext();
            if (!more) {
                progress.finish(count);
            }
            return more;
        }

        @Override
        public CollisionEvent next() {
            CollisionEvent event = events.next();
            String truth = event.getTruth();
            if (truth == null) {
                background++;
            } else {
                labelled.merge(truth, 1L, Long::sum);
            }
            if (++count % CHECK_EVERY == 0) {
                progress.update(count);
            }
            return event;
        }

        void print(PrintStream out, String destination, double seconds) {
            out.printf("%,d events to %s in %.2f s: %,.0f events/s%n", count, destination, seconds, count / seconds);
            out.printf("%-40s %12s%n", "truth label", "events");
            out.printf("%-40s %,12d%n", BACKGROUND, background);
            labelled.forEach((label, n) -> out.printf("%-40s %,12d%n", label, n));
        }
    }
}
