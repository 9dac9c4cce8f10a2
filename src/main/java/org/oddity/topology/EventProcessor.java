package org.oddity.topology;

import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;

/**
 * A processor of an events topic: decodes each record into one reused event object and hands
 * it to {@link #process(Record, CollisionEvent)}. A record that is no event (no value, or not a
 * CollisionEvent in Avro single-object encoding), and any event the subclass cannot process, goes
 * to its dead-letter sink with its stage, the reason and the original bytes.
 */
abstract class EventProcessor implements Processor<byte[], byte[], byte[], SpecificRecord> {

    private final AvroCodec<CollisionEvent> codec;
    private final String deadLetterSink;
    /** Wall clock of dead letters, alerts and punctuation. */
    final Clock clock;
    /** This task's context, from {@link #init} on. */
    ProcessorContext<byte[], SpecificRecord> context;
    private CollisionEvent reuse;

    EventProcessor(AvroCodec<CollisionEvent> codec, String deadLetterSink, Clock clock) {
        this.codec = codec;
        this.deadLetterSink = deadLetterSink;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public final void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, FailureStage.DECODE, "record has no value");
            return;
        }
        try {
            reuse = codec.decode(record.value(), reuse);
        } catch (UndecodableRecordException e) {
            // A failed decode may leave the reused object half written.
            reuse = null;
            deadLetter(record, FailureStage.DECODE, e.getMessage());
            return;
        }
        process(record, reuse);
    }

    /** Processes the event {@code record} holds; the event object is reused for the next record. */
    abstract void process(Record<byte[], byte[]> record, CollisionEvent event);

    /** Forwards the dead letter of {@code record} to the dead-letter sink. */
    void deadLetter(Record<byte[], byte[]> record, FailureStage stage, String reason) {
        context.forward(record.withValue(DeadLetters.of(record, context.recordMetadata().orElse(null), stage, reason,
                clock.millis())), deadLetterSink);
    }
}
