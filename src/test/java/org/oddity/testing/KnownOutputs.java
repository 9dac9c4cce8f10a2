package org.oddity.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.oddity.avro.AlertState;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.WindowSummary;
import org.oddity.topology.Topic;

/**
 * Records of oddity's output topics with known contents, and a way to write them to a real broker
 * as the scoring application would (key bytes, single-object-encoded value), for the tests of the
 * programs that read those topics.
 */
public final class KnownOutputs {

    /** The run of every known flagged event and alert. */
    public static final long RUN = 7;
    /** The cell of every known flagged event and alert. */
    public static final String CELL = "30<=pileup<40|detectorState=ALL_IN";

    private KnownOutputs() {
    }

    /** The event id {@code run:event}, the key of the flagged event of event number {@code event}. */
    public static String eventId(long event) {
        return RUN + ":" + event;
    }

    /**
     * A flagged event of run {@link #RUN}, event number {@code event}, in lumisection {@code event / 100},
     * with p-value {@code pValue}, one top feature {@code met_pt} and truth {@code truth} (null for none).
     */
    public static FlaggedEvent flagged(long event, double pValue, String truth) {
        return FlaggedEvent.newBuilder()
                .setRun(RUN)
                .setLumisection((int) (event / 100))
                .setEvent(event)
                .setTimestampNanos(1_767_225_600_000_000_000L + event)
                .setBunchCrossing(42)
                .setCell(CELL)
                .setRequestedCell(CELL)
                .setCalibrationSize(20_000)
                .setCalibrationSource("bundle")
                .setScore(12.5)
                .setPValue(pValue)
                .setWorkingPoint("loose")
                .setAlpha(1e-2)
                .setModelName("l1-hbos")
                .setModelVersion("hbos-test")
                .setFlaggedAtMillis(1_767_225_600_123L)
                .setTopFeatures(List.of(new FeatureContribution("met_pt", 3.5)))
                .setTruth(truth)
                .build();
    }

    /** An alert of {@code kind} in state {@code state} about {@code feature} (null for none) in cell {@link #CELL}. */
    public static DriftAlert alert(String kind, AlertState state, String feature) {
        return DriftAlert.newBuilder()
                .setKind(kind)
                .setState(state)
                .setSeverity("WARNING")
                .setCell(CELL)
                .setFeature(feature)
                .setStatistic("binomial")
                .setStatisticValue(31)
                .setRawPValue(1e-7)
                .setCorrectedPValue(4e-6)
                .setObserved(0.031)
                .setExpected(0.01)
                .setWindowStartNanos(1_767_225_600_000_000_000L)
                .setWindowEndNanos(1_767_225_623_000_000_000L)
                .setFirstRun(RUN)
                .setFirstLumisection(3)
                .setLastRun(RUN)
                .setLastLumisection(3)
                .setTopFeatures(feature == null ? List.of() : List.of(feature))
                .setMessage(kind + " " + state)
                .setRaisedAtMillis(1_767_225_624_000L)
                .build();
    }

    /** The key of {@code alert}, {@code kind|cell|feature}, as the monitor writes it. */
    public static String alertKey(DriftAlert alert) {
        return alert.getKind() + "|" + alert.getCell() + "|" + (alert.getFeature() == null ? "" : alert.getFeature());
    }

    /** A dead letter of {@code stage} of the input record at {@code inputTopic}-0@{@code offset} with those bytes. */
    public static DeadLetter deadLetter(FailureStage stage, String inputTopic, long offset, byte[] key, byte[] value) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(stage + " failed")
                .setTopic(inputTopic)
                .setPartition(0)
                .setOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAtMillis(1_767_225_600_500L)
                .build();
    }

    /** A window summary of {@code events} events, {@code flagged} of them flagged at working point loose. */
    public static WindowSummary windowSummary(long events, long flagged) {
        return WindowSummary.newBuilder()
                .setWindowStartNanos(1_767_225_600_000_000_000L)
                .setWindowEndNanos(1_767_225_623_000_000_000L)
                .setCell(CELL)
                .setModelVersion("hbos-test")
                .setStratum(-1)
                .setProducer("0_1")
                .setEvents(events)
                .setFlaggedPerWorkingPoint(Map.of("loose", flagged))
                .setPValueHistogram(List.of(flagged, events - flagged))
                .setFeatureHistograms(Map.of("met_pt", List.of(events - 1, 1L)))
                .setDeadLetters(0)
                .setFirstRun(RUN)
                .setFirstLumisection(3)
                .setLastRun(RUN)
                .setLastLumisection(3)
                .build();
    }

    /** UTF-8 bytes of {@code text}, for keys. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The record keys of {@code events}, as run:event in UTF-8. */
    public static List<byte[]> eventKeys(long... events) {
        List<byte[]> keys = new ArrayList<>();
        for (long event : events) {
            keys.add(utf8(eventId(event)));
        }
        return keys;
    }

    /**
     * Writes the flagged events every reader test starts from: 1001 and 1002 committed, then 1999 in
     * a transaction that is aborted. Event 1003 is written by the caller after whatever it puts between.
     */
    public static void writeFlagsAndAnAbortedOne(String bootstrapServers, Topic<?, FlaggedEvent> anomalies) {
        write(bootstrapServers, anomalies, eventKeys(1001, 1002), List.of(flagged(1001, 1e-3, null),
                flagged(1002, 2e-4, "A_4l")), false);
        write(bootstrapServers, anomalies, eventKeys(1999), List.of(flagged(1999, 1e-5, "aborted")), true);
    }

    /** Writes a FLAG_RATE alert raised and a FEATURE_SHIFT alert on met_pt cleared, keyed as oddity keys them. */
    public static void writeAlerts(String bootstrapServers, Topic<?, DriftAlert> alerts) {
        List<DriftAlert> values = List.of(alert("FLAG_RATE", AlertState.RAISED, null),
                alert("FEATURE_SHIFT", AlertState.CLEARED, "met_pt"));
        write(bootstrapServers, alerts, values.stream().map(a -> utf8(alertKey(a))).toList(), values, false);
    }

    /**
     * Writes {@code values} to {@code topic} with keys {@code keys} (same order), encoded with the
     * topic's serde, and waits until the broker has acknowledged every one. With
     * {@code abort}, writes them in a transaction that is aborted instead, so that a read_committed
     * reader never sees them.
     */
    public static <V> void write(String bootstrapServers, Topic<?, V> topic, List<byte[]> keys, List<V> values,
            boolean abort) {
        Map<String, Object> config = abort
                ? Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "known-outputs-" + System.nanoTime())
                : Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            if (abort) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(topic.name(), keys.get(i),
                        topic.valueSerde().serializer().serialize(topic.name(), values.get(i)))));
            }
            if (abort) {
                producer.flush();
                producer.abortTransaction();
                return;
            }
            for (Future<?> ack : sent) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic.name(), e);
        }
    }
}
