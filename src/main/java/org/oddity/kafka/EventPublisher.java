package org.oddity.kafka;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.oddity.avro.CollisionEvent;
import org.oddity.client.KafkaClientSettings;
import org.oddity.sim.BadEventInjector;

/**
 * Publishes events to a Kafka topic at a target rate (events per second of wall clock), keyed
 * by event id {@code run:event}. A {@link BadEventInjector} may replace some events by
 * malformed records, to exercise the dead-letter path end to end.
 */
public final class EventPublisher implements AutoCloseable {

    private static final int PACE_CHECK_EVERY = 64;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final boolean sendTimestamps;

    /** A publisher to {@code topic} on {@code cluster}; records carry the event time. */
    public EventPublisher(KafkaClientSettings cluster, String topic) {
        this(cluster, topic, false);
    }

    /**
     * A publisher whose records carry the wall-clock time they are sent instead of the event time,
     * so that a reader of the outputs can measure latency from them.
     */
    public static EventPublisher stampingSendTime(KafkaClientSettings cluster, String topic) {
        return new EventPublisher(cluster, topic, true);
    }

    private EventPublisher(KafkaClientSettings cluster, String topic, boolean sendTimestamps) {
        this.topic = topic;
        this.sendTimestamps = sendTimestamps;
        this.producer = new KafkaProducer<>(cluster.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // One request in flight: a retried batch (e.g. after a leader change) is resent before
                // any later one, so the idempotent producer never stalls on a sequence gap.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "oddity-publisher")), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Sends every event of {@code events}, paced at {@code ratePerSecond} (0: as fast as possible),
     * until the events run out or {@code stop} says so. Returns the number of records sent.
     */
    public long publish(Iterator<CollisionEvent> events, double ratePerSecond, Function<CollisionEvent, byte[]> encoder,
            BooleanSupplier stop) {
        long start = System.nanoTime();
        double nanosPerEvent = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        long i = 0;
        while (events.hasNext() && failure.get() == null) {
            if (i % PACE_CHECK_EVERY == 0) {
                if (stop.getAsBoolean()) {
                    break;
                }
                long ahead = start + (long) (i * nanosPerEvent) - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                }
            }
            CollisionEvent event = events.next();
            Long timestamp = sendTimestamps ? null : event.getTimestampNanos() / 1_000_000;
            producer.send(new ProducerRecord<>(topic, null, timestamp,
                    event.getRun() + ":" + event.getEvent(), encoder.apply(event)), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
            sent.incrementAndGet();
            i++;
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + failure.get().getMessage(),
                    failure.get());
        }
        return i;
    }

    /** Records handed to the producer so far. */
    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
