package org.oddity.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.oddity.avro.CollisionEvent;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.eventfile.BadRowException;
import org.oddity.eventfile.EventSource;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddity replay}: publishes the events of a file to the events topic, in file order, as the DAQ would. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Publish the events of a file to the events topic, in file order, keyed by run:event.",
            "Reads Avro container files of CollisionEvents, and CSV (header row) and HDF5 tables whose columns"
                + " the column flags map to event fields; each table row becomes an event with a flat feature"
                + " vector. Kafka keeps the file's order within each partition.",
            "A bad row stops the replay with its line or row number, unless --skip-bad counts and skips it."})
final class ReplayCommand extends OddityCommand {

    @Mixin
    EventFileOptions fileOptions;

    @Parameters(index = "0", paramLabel = "FILE", description = "Event file: .avro, .csv, .h5 or .hdf5.")
    Path file;

    @Option(names = "--rate", defaultValue = "0",
            description = "Events per second of wall clock; 0 publishes as fast as possible"
                    + " (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--create-topics",
            description = "Create the events topic if it is missing (partitions: setting topics.partitions).")
    boolean createTopics;

    @Override
    int run(OdditySettings settings) throws Exception {
        CommandLineChecks.inRange("--rate", rate, 0, 10_000_000);
        if (settings.kafka().bootstrapServers().isEmpty()) {
            throw new InvalidSettingException("bootstrap.servers", "", "oddity replay needs a Kafka cluster: give"
                    + " --bootstrap-servers or ODDITY_BOOTSTRAP_SERVERS (oddity broker starts a local one)");
        }
        Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
        List<String> eventsTopic = List.of(topics.events().name());
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        return fileOptions.read(file, events -> {
            if (createTopics) {
                TopicAdmin.ensure(cluster, settings.kafka().topicPartitions(),
                        settings.kafka().topicReplicationFactor(), eventsTopic);
            } else if (!TopicAdmin.missing(cluster, eventsTopic).isEmpty()) {
                System.err.println("oddity: topic " + eventsTopic.get(0) + " is missing on "
                        + cluster.bootstrapServers() + " (create it, or pass --create-topics)");
                return 1;
            }
            return replay(events, cluster, topics);
        });
    }

    private int replay(EventSource events, KafkaClientSettings cluster, Topics topics) {
        ProgressBar progress = ProgressBar.of("replaying " + file.getFileName(), events);
        Iterator<CollisionEvent> tracked = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return events.hasNext();
            }

            @Override
            public CollisionEvent next() {
                CollisionEvent event = events.next();
                progress.update(events.rowsRead());
                return event;
            }
        };
        long start = System.nanoTime();
        long published;
        boolean stopped;
        BadRowException bad = null;
        try (ShutdownSignal stop = new ShutdownSignal();
                EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
            try {
                published = publisher.publish(tracked, rate, topics.eventCodec()::encode, stop::stopRequested);
            } catch (BadRowException e) {
                bad = e;
                published = publisher.sent();
            }
            stopped = stop.stopRequested();
            progress.finish(events.rowsRead());
        }
        // Closing the publisher waited for every event handed to it.
        if (bad != null) {
            System.err.printf("oddity: %s (published before it: %,d)%n", bad.getMessage(), published);
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("replayed %s to %s: %,d rows read, %,d events published in %.1f s (%,.0f events/s)%n",
                file, topics.events().name(), events.rowsRead(), published, seconds,
                published / Math.max(seconds, 1e-9));
        if (events.badRows().total() > 0) {
            System.out.printf("bad rows skipped: %,d (%s)%n", events.badRows().total(),
                    EventFileOptions.describe(events.badRows()));
        }
        if (stopped) {
            System.out.println("stopped on request after " + events.position());
        }
        return 0;
    }
}
