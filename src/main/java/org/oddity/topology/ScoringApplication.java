package org.oddity.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.oddity.config.OdditySettings;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running scoring application: a {@link KafkaStreams} over {@link AnomalyTopology}, its
 * client metrics bound to a meter registry.
 */
public final class ScoringApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringApplication.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AtomicReference<Throwable> failure;

    private ScoringApplication(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics,
            AtomicReference<Throwable> failure) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.failure = failure;
    }

    /**
     * Builds the topology for {@code settings} and starts it, with the Kafka Streams client
     * metrics in {@code registry}; returns without waiting for partitions. Kafka Streams throws
     * here what stops it before it runs, e.g. its global consumer refused by the cluster.
     */
    public static ScoringApplication start(Topics topics, OdditySettings settings, ActiveModel active,
            CellCounters counters, ScoringLatencies latencies, MeterRegistry registry) {
        Properties props = StreamsProperties.of(settings);
        ScoringFailureHandler.install(props, topics, counters);
        KafkaStreams streams = new KafkaStreams(
                AnomalyTopology.build(topics, settings, active, counters, latencies, Clock.systemUTC()), props);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            LOG.error("scoring stopped by an unexpected error", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                LOG.info("scoring application {} -> {}", before, now);
            } else {
                LOG.debug("scoring application {} -> {}", before, now);
            }
        });
        streams.start();
        return new ScoringApplication(streams, streamsMetrics, failure);
    }

    /** The input partitions of this instance's active tasks now (empty while rebalancing). */
    public Set<TopicPartition> assignedPartitions() {
        Set<TopicPartition> out = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                out.addAll(task.topicPartitions());
            }
        }
        return out;
    }

    /** The Kafka Streams state, e.g. RUNNING or ERROR. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the Kafka Streams client failed for good: it will not recover without a restart. */
    public boolean failed() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR;
    }

    /** Whether the application is processing: joined its group, its stores restored. */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The exception that stopped a stream thread, and so the application; null if none did. */
    public Throwable failure() {
        return failure.get();
    }

    /** Whether the application stopped for good (error or shut down). */
    public boolean stopped() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                || s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.PENDING_ERROR;
    }

    @Override
    public void close() {
        // A static member stays in the group when it closes unless told to leave: leave, so that a
        // stopped instance's partitions move at once rather than after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
    }
}
