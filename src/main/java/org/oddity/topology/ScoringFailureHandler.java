package org.oddity.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.calibrate.CellScheme;
import org.oddity.pipeline.CellCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler for oddity: an unexpected exception while an
 * event is scored (a scorer's runtime error, say) makes that event a dead letter at stage SCORE,
 * with the exception as its reason and the original bytes, and processing goes on; before, it
 * shut the client down. Exceptions in other nodes, and in punctuation, still fail as Kafka's
 * default handler does: the monitor and the model loaders catch what they expect themselves.
 *
 * <p>A scorer failing on every event is one {@code SCORING_FAILURE} alert and one log line a
 * minute per task (Kafka Streams makes one handler per task), with the count since the last, not
 * one per event. The dead letter is counted per stage like the processors' own.
 */
public final class ScoringFailureHandler implements ProcessingExceptionHandler {

    /** Config key of the dead-letter topic's name. */
    static final String DEAD_LETTER_TOPIC = "oddity.dead-letter.topic";
    /** Config key of the alerts topic's name. */
    static final String ALERT_TOPIC = "oddity.alert.topic";
    /** Config key of the instance's {@link CellCounters}. */
    static final String COUNTERS = "oddity.cell-counters";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringFailureHandler.class);
    private static final long REPORT_EVERY_MILLIS = 60_000;
    /** The nodes that read the events topics and score its events. */
    private static final Set<String> SCORING_NODES = Set.of(AnomalyTopology.SCORER, AnomalyTopology.CALIBRATOR);

    private final Serializer<DeadLetter> deadLetterSerializer = AvroSerde.of(DeadLetter.class).serializer();
    private final Serializer<DriftAlert> alertSerializer = AvroSerde.of(DriftAlert.class).serializer();
    private String deadLetterTopic;
    private String alertTopic;
    private CellCounters counters;
    private long lastReportMillis;
    private long unreported;

    /** Sets {@code props} up to turn scoring failures into dead letters on {@code topics}' dead-letter topic, counted in {@code counters}. */
    static void install(Properties props, Topics topics, CellCounters counters) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ScoringFailureHandler.class);
        props.put(DEAD_LETTER_TOPIC, topics.deadLetters().name());
        props.put(ALERT_TOPIC, topics.alerts().name());
        // An object, not a string: Kafka hands the originals to configure() as they are.
        props.put(COUNTERS, counters);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = (String) configs.get(DEAD_LETTER_TOPIC);
        alertTopic = (String) configs.get(ALERT_TOPIC);
        counters = (CellCounters) configs.get(COUNTERS);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (record == null || context.sourceRawValue() == null || !SCORING_NODES.contains(context.processorNodeId())) {
            return Response.fail();
        }
        long now = System.currentTimeMillis();
        counters.deadLetter(FailureStage.SCORE);
        DeadLetter letter = DeadLetters.of(context.sourceRawKey(), context.sourceRawValue(), context.topic(),
                context.partition(), context.offset(), FailureStage.SCORE, "scoring failed in " + context.processorNodeId()
                        + ": " + exception, now);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
        out.add(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(), context.sourceRawKey(),
                deadLetterSerializer.serialize(deadLetterTopic, letter)));
        String report = report(context, exception, now);
        if (report != null) {
            Record<byte[], SpecificRecord> alert = OperationalAlerts.of(OperationalAlerts.SCORING_FAILURE,
                    AlertState.RAISED, "critical", CellScheme.GLOBAL, "task " + context.taskId(), "exception", report,
                    now);
            out.add(new ProducerRecord<>(alertTopic, null, now, alert.key(),
                    alertSerializer.serialize(alertTopic, (DriftAlert) alert.value())));
        }
        return Response.resume(out);
    }

    /** What to report of this failure: a message once a minute, logged, and null in between. */
    private synchronized String report(ErrorHandlerContext context, Exception exception, long now) {
        unreported++;
        if (now - lastReportMillis < REPORT_EVERY_MILLIS) {
            return null;
        }
        String message = unreported + " event(s) of task " + context.taskId() + " could not be scored in "
                + context.processorNodeId() + " and went to the dead letters" + (lastReportMillis == 0 ? ""
                        : " in the last minute") + "; scoring goes on. The latest: " + exception;
        LOG.error(message, exception);
        lastReportMillis = now;
        unreported = 0;
        return message;
    }
}
