package org.oddity.topology;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
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
 * <p>A scorer failing on every event is logged once a minute with the count since, not per
 * event. The dead letter is counted per stage like the processors' own.
 */
public final class ScoringFailureHandler implements ProcessingExceptionHandler {

    /** Config key of the dead-letter topic's name. */
    static final String DEAD_LETTER_TOPIC = "oddity.dead-letter.topic";
    /** Config key of the instance's {@link CellCounters}. */
    static final String COUNTERS = "oddity.cell-counters";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringFailureHandler.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    /** The nodes that read the events topics and score its events. */
    private static final Set<String> SCORING_NODES = Set.of(AnomalyTopology.SCORER, AnomalyTopology.CALIBRATOR);

    private final Serializer<DeadLetter> serializer = AvroSerde.of(DeadLetter.class).serializer();
    private String deadLetterTopic;
    private CellCounters counters;
    private long lastLoggedMillis;
    private long unloggedFailures;

    /** Sets {@code props} up to turn scoring failures into dead letters on {@code topics}' dead-letter topic, counted in {@code counters}. */
    static void install(Properties props, Topics topics, CellCounters counters) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ScoringFailureHandler.class);
        props.put(DEAD_LETTER_TOPIC, topics.deadLetters().name());
        // An object, not a string: Kafka hands the originals to configure() as they are.
        props.put(COUNTERS, counters);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = (String) configs.get(DEAD_LETTER_TOPIC);
        counters = (CellCounters) configs.get(COUNTERS);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (record == null || context.sourceRawValue() == null || !SCORING_NODES.contains(context.processorNodeId())) {
            return Response.fail();
        }
        long now = System.currentTimeMillis();
        logRateLimited(context, exception, now);
        counters.deadLetter(FailureStage.SCORE);
        DeadLetter letter = DeadLetters.of(context.sourceRawKey(), context.sourceRawValue(), context.topic(),
                context.partition(), context.offset(), FailureStage.SCORE, "scoring failed in " + context.processorNodeId()
                        + ": " + exception, now);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(),
                context.sourceRawKey(), serializer.serialize(deadLetterTopic, letter))));
    }

    private synchronized void logRateLimited(ErrorHandlerContext context, Exception exception, long now) {
        unloggedFailures++;
        if (now - lastLoggedMillis < LOG_EVERY_MILLIS) {
            return;
        }
        LOG.error("scoring failed in {} of task {} ({} events since the last report went to the dead letters);"
                + " the latest:", context.processorNodeId(), context.taskId(), unloggedFailures, exception);
        lastLoggedMillis = now;
        unloggedFailures = 0;
    }
}
