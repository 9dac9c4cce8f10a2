package org.oddity.topology;

import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;

/**
 * Turns an input record's bytes into an event, reusing one decoded event object, and hands a
 * record that is no event to its processor's dead letters at stage DECODE: the step every
 * processor reading events shares before its own work. One instance per task.
 */
final class EventIntake {

    /** Where a processor sends the records it cannot process. */
    @FunctionalInterface
    interface DeadLetterSink {
        void deadLetter(Record<byte[], byte[]> record, FailureStage stage, String reason);
    }

    private final AvroCodec<CollisionEvent> codec;
    private final DeadLetterSink deadLetters;
    private CollisionEvent reuse;

    EventIntake(AvroCodec<CollisionEvent> codec, DeadLetterSink deadLetters) {
        this.codec = codec;
        this.deadLetters = deadLetters;
    }

    /** The event {@code record} encodes, or null once it went to the dead letters (no value, or not a CollisionEvent). */
    CollisionEvent decode(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            deadLetters.deadLetter(record, FailureStage.DECODE, "record has no value");
            return null;
        }
        try {
            reuse = codec.decode(record.value(), reuse);
            return reuse;
        } catch (UndecodableRecordException e) {
            // A failed decode may leave the reused object half written.
            reuse = null;
            deadLetters.deadLetter(record, FailureStage.DECODE, e.getMessage());
            return null;
        }
    }
}
