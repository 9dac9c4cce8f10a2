package org.oddity.cli;

import java.nio.file.Path;
import java.time.Clock;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelAnnouncements;
import org.oddity.bundle.ModelBundle;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.ModelPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oddity publish-model}: announces a bundle on the models topic, for running instances to swap to. */
@Command(name = "publish-model", mixinStandardHelpOptions = true,
        description = {"Announce a model bundle on the models topic. Running instances of the same model name fetch it,"
                + " verify it (digests, features, a smoke score, calibration of every active cell) and switch to it"
                + " between two events; one that fails is refused with a MODEL_REFUSED alert, and the old model keeps"
                + " scoring.",
            "By default the announcement carries the bundle's path, which every instance must be able to read"
                + " (shared storage); --inline sends the zipped bundle in the record instead (up to 900 kB)."})
final class PublishModelCommand extends OddityCommand {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Model bundle directory.")
    Path bundle;

    @Option(names = "--inline", description = "Send the zipped bundle inside the announcement.")
    boolean inline;

    @Option(names = "--location", paramLabel = "PATH",
            description = "Where the instances find the bundle, if not at BUNDLE's absolute path (e.g. another mount"
                    + " point or a file: URI of a zip).")
    String location;

    @Option(names = "--skip-verify", description = "Announce without loading the bundle here first; the instances"
            + " still verify it.")
    boolean skipVerify;

    @Override
    int run(OdditySettings settings) throws Exception {
        if (settings.kafka().bootstrapServers().isEmpty()) {
            throw new InvalidSettingException("bootstrap.servers", "", "publish-model needs the Kafka cluster the"
                    + " instances read: give --bootstrap-servers or ODDITY_BOOTSTRAP_SERVERS");
        }
        if (inline && location != null) {
            throw new InvalidSettingException("--location", location, "an inline bundle has no location; give one of"
                    + " --inline and --location");
        }
        if (!skipVerify) {
            ModelBundle verified = BundleReader.read(bundle);
            System.out.printf("verified model %s %s (%s, %d calibration cells)%n", verified.manifest().name(),
                    verified.version(), verified.manifest().scorer(), verified.calibration().size());
        }
        String where = inline ? null : location != null ? location : bundle.toAbsolutePath().normalize().toString();
        ModelAnnouncement announcement = ModelAnnouncements.of(bundle, where, Clock.systemUTC().millis());
        Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        TopicAdmin.ensure(cluster, topics.scoringTopics(settings.kafka().topicPartitions(),
                settings.kafka().topicReplicationFactor()));
        ModelPublisher.Written written = ModelPublisher.publish(cluster, topics.models(), announcement);
        System.out.printf("announced model %s %s on %s (offset %d)%s%n", announcement.getModelName(),
                announcement.getModelVersion(), written.topic(), written.offset(),
                inline ? ", inline" : " at " + where);
        return 0;
    }
}
