package org.oddity.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.oddity.client.KafkaClientSettings;

/**
 * Reads an output topic as it is written and records, in an HdrHistogram, each record's
 * latency: the wall-clock time it is read minus its timestamp, which Kafka Streams carries over
 * from the input record, stamped with the time it was sent
 * ({@link org.oddity.kafka.EventPublisher#stampingSendTime}). Records stamped before
 * {@code warmUpEndMillis} are not counted, so the figures describe the steady state.
 */
final class LatencyProbe implements AutoCloseable {

    /** Latency percentiles in milliseconds over the records counted. */
    record Latency(long samples, double p50Millis, double p90Millis, double p99Millis, double p999Millis,
            double maxMillis) {
    }

    private final Histogram histogram = new Histogram(60_000, 3);
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    LatencyProbe(KafkaClientSettings cluster, String topic, int partitions, long warmUpEndMillis) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                // What a downstream consumer can use: under exactly-once, only committed outputs.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> assigned = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        if (r.timestamp() >= warmUpEndMillis) {
                            synchronized (histogram) {
                                histogram.recordValue(Math.max(0, Math.min(now - r.timestamp(), 60_000)));
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "oddity-bench-latency");
        thread.setDaemon(true);
        thread.start();
    }

    /** The latencies recorded so far. */
    Latency latency() {
        synchronized (histogram) {
            return new Latency(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
                    histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("latency probe failed", failure.get());
        }
    }
}
