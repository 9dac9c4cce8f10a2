package org.oddity.config;

import static org.oddity.config.SettingValues.intIn;

import java.nio.file.Path;

/**
 * Every setting, typed and checked once at start-up, grouped by concern; see
 * {@code oddity-defaults.properties} for what each one means. {@link #toBuilder()} changes some
 * of them in a copy.
 *
 * @param kafka       the cluster and the topics on it
 * @param streams     how the Kafka Streams application runs
 * @param modelBundle model bundle directory to score with, or null if none is set
 * @param calibration p-values, working points and calibration sets
 * @param monitoring  data-quality monitoring
 * @param topFeatures features named on every flagged event
 * @param workDir     local broker data, trained bundles and Kafka Streams state
 * @param metrics     the Prometheus endpoint and latency histograms
 */
public record OdditySettings(
        KafkaSettings kafka,
        StreamsSettings streams,
        Path modelBundle,
        CalibrationSettings calibration,
        MonitoringSettings monitoring,
        int topFeatures,
        Path workDir,
        MetricsSettings metrics) {

    /**
     * Parses and validates {@code source}, one concern after the other; throws
     * {@link InvalidSettingException} naming the first bad key of the first concern that has one.
     */
    public static OdditySettings from(SettingsSource source) {
        String bundle = source.get("model.bundle");
        return new OdditySettings(
                KafkaSettings.from(source),
                StreamsSettings.from(source),
                bundle.isEmpty() ? null : Path.of(bundle),
                CalibrationSettings.from(source),
                MonitoringSettings.from(source),
                intIn(source, "flags.top-features", 0, 1000),
                workDir(source),
                MetricsSettings.from(source));
    }

    /** A builder holding these settings, to change some of them in a copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static Path workDir(SettingsSource source) {
        String workDir = source.get("work.dir");
        if (workDir.isEmpty()) {
            throw new InvalidSettingException("work.dir", workDir, "expected a directory path");
        }
        return Path.of(workDir);
    }

    /**
     * Changes some settings of a copy, e.g. a local broker's address or a single run's own
     * application id; the others keep their values. It does not validate: its values come from
     * checked settings or from the program, not from the user.
     */
    public static final class Builder {

        private KafkaSettings kafka;
        private StreamsSettings streams;
        private Path modelBundle;
        private CalibrationSettings calibration;
        private MonitoringSettings monitoring;
        private int topFeatures;
        private Path workDir;
        private MetricsSettings metrics;

        private Builder(OdditySettings from) {
            kafka = from.kafka;
            streams = from.streams;
            modelBundle = from.modelBundle;
            calibration = from.calibration;
            monitoring = from.monitoring;
            topFeatures = from.topFeatures;
            workDir = from.workDir;
            metrics = from.metrics;
        }

        /** Replaces the cluster's address, e.g. by a local broker's. */
        public Builder bootstrapServers(String servers) {
            kafka = new KafkaSettings(servers, kafka.topicPrefix(), kafka.topicPartitions(),
                    kafka.topicReplicationFactor(), kafka.eventWriterSchemas(), kafka.clientProperties());
            return this;
        }

        /** Replaces the Kafka Streams application id, e.g. by one of a single run's own. */
        public Builder applicationId(String id) {
            streams = new StreamsSettings(id, streams.threads(), streams.processingGuarantee(),
                    streams.standbyReplicas(), streams.instanceId(), streams.commitInterval());
            return this;
        }

        /** Replaces the model bundle directory. */
        public Builder modelBundle(Path next) {
            modelBundle = next;
            return this;
        }

        /** Replaces the monitoring settings. */
        public Builder monitoring(MonitoringSettings next) {
            monitoring = next;
            return this;
        }

        /** The settings as changed. */
        public OdditySettings build() {
            return new OdditySettings(kafka, streams, modelBundle, calibration, monitoring, topFeatures, workDir,
                    metrics);
        }
    }
}
