package org.oddity.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.oddity.avro.DriftAlert;
import org.oddity.client.KafkaClientSettings;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.WindowSummary;
import org.oddity.topology.Topic;
import org.oddity.topology.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads oddity's own outputs back for the dashboard: window summaries and flagged events of the
 * last hour and alerts of the last day, then everything new, into a {@link DashboardState}. It
 * reads what every instance wrote, committed only, so each instance's dashboard shows the whole
 * application, not the tasks it happens to run: the monitor, for one, runs on one instance.
 * It uses no consumer group and commits nothing. Records it cannot decode are skipped.
 */
public final class DashboardFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final Duration RECENT = Duration.ofHours(1);
    private static final Duration ALERT_HISTORY = Duration.ofDays(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DashboardState state;
    private final Topics topics;
    private final Thread thread;
    private volatile boolean running = true;

    private DashboardFeed(KafkaConsumer<byte[], byte[]> consumer, DashboardState state, Topics topics) {
        this.consumer = consumer;
        this.state = state;
        this.topics = topics;
        this.thread = new Thread(this::consume, "oddity-dashboard-feed");
        thread.setDaemon(true);
    }

    /** Starts reading {@code topics} on {@code cluster} into {@code state}. */
    public static DashboardFeed start(KafkaClientSettings cluster, Topics topics, DashboardState state, Clock clock) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "oddity-dashboard",
                // What an aborted transaction wrote never happened.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        DashboardFeed feed = new DashboardFeed(consumer, state, topics);
        feed.seek(clock.millis());
        feed.thread.start();
        return feed;
    }

    /** Positions every partition at the first record of its look-back (the outputs carry the broker's append time). */
    private void seek(long nowMillis) {
        Map<TopicPartition, Long> since = new HashMap<>();
        for (Topic<?, ?> topic : List.of(topics.windowSummaries(), topics.anomalies(), topics.alerts())) {
            Duration lookBack = topic == topics.alerts() ? ALERT_HISTORY : RECENT;
            for (PartitionInfo p : consumer.partitionsFor(topic.name())) {
                since.put(new TopicPartition(topic.name(), p.partition()), nowMillis - lookBack.toMillis());
            }
        }
        List<TopicPartition> partitions = new ArrayList<>(since.keySet());
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                toEnd.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        consumer.seekToEnd(toEnd);
    }

    private void consume() {
        Deserializer<WindowSummary> summaries = topics.windowSummaries().valueSerde().deserializer();
        Deserializer<FlaggedEvent> flags = topics.anomalies().valueSerde().deserializer();
        Deserializer<DriftAlert> alerts = topics.alerts().valueSerde().deserializer();
        long skipped = 0;
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (r.topic().equals(topics.windowSummaries().name())) {
                            state.summary(summaries.deserialize(r.topic(), r.value()));
                        } else if (r.topic().equals(topics.anomalies().name())) {
                            state.flag(flags.deserialize(r.topic(), r.value()));
                        } else {
                            state.alert(alerts.deserialize(r.topic(), r.value()));
                        }
                    } catch (RuntimeException e) {
                        // Not oddity's own record (a hand-made one, say): the dashboard shows what it can read.
                        if (skipped++ == 0) {
                            LOG.warn("dashboard skips records it cannot decode, first at {}-{}@{}: {}", r.topic(),
                                    r.partition(), r.offset(), e.getMessage());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() ends the loop.
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
