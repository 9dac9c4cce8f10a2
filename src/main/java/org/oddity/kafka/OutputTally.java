package org.oddity.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topics;

/**
 * Reads what the scoring application wrote, from the start of the anomalies, dead-letter and
 * alert topics, and counts it: flagged events per requested cell, dead letters per stage, and
 * the alerts. The
 * demo's report is built from these topic contents, not from the application's memory.
 */
public final class OutputTally implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Thread thread;
    private final Map<String, AtomicLong> flaggedByCell = new ConcurrentHashMap<>();
    private final Map<FailureStage, AtomicLong> deadByStage = new ConcurrentHashMap<>();
    private final AtomicLong flagged = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final Queue<DriftAlert> alerts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    /** Starts reading {@code topics}' outputs on {@code cluster} from their first records. */
    public OutputTally(KafkaClientSettings cluster, Topics topics) {
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "oddity-demo-tally",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                // Under exactly-once, what an aborted transaction wrote does not count.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.anomalies().name(), topics.deadLetters().name(), topics.alerts().name())) {
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::consume, "oddity-demo-tally");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        var flaggedDeserializer = topics.anomalies().valueSerde().deserializer();
        var deadDeserializer = topics.deadLetters().valueSerde().deserializer();
        var alertDeserializer = topics.alerts().valueSerde().deserializer();
        String anomalies = topics.anomalies().name();
        String alertTopic = topics.alerts().name();
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(anomalies)) {
                        FlaggedEvent f = flaggedDeserializer.deserialize(r.topic(), r.value());
                        flaggedByCell.computeIfAbsent(f.getRequestedCell(), c -> new AtomicLong()).incrementAndGet();
                        flagged.incrementAndGet();
                    } else if (r.topic().equals(alertTopic)) {
                        alerts.add(alertDeserializer.deserialize(r.topic(), r.value()));
                    } else {
                        DeadLetter d = deadDeserializer.deserialize(r.topic(), r.value());
                        deadByStage.computeIfAbsent(d.getStage(), s -> new AtomicLong()).incrementAndGet();
                        dead.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    /** Flagged events read so far. */
    public long flagged() {
        return flagged.get();
    }

    /** Flagged events read so far whose requested cell is {@code cell}. */
    public long flagged(String cell) {
        AtomicLong n = flaggedByCell.get(cell);
        return n == null ? 0 : n.get();
    }

    /** Dead letters read so far. */
    public long deadLetters() {
        return dead.get();
    }

    /** Dead letters read so far, by failure stage. */
    public Map<FailureStage, Long> deadLettersByStage() {
        Map<FailureStage, Long> out = new EnumMap<>(FailureStage.class);
        deadByStage.forEach((stage, n) -> out.put(stage, n.get()));
        return out;
    }

    /** Alerts read so far, in the order of the alerts topic's partitions. */
    public List<DriftAlert> alerts() {
        return List.copyOf(alerts);
    }

    /** The error that stopped reading, if any. */
    public Exception failure() {
        return failure.get();
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
