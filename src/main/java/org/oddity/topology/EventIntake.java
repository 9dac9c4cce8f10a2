package org.oddity.topology;

import org.oddity.avro.CollisionEvent;

/**
 * Turns an input record's bytes into an event, reusing one decoded event object: the step every
 * processor reading events shares before its own work. One instance per task.
 */
final class EventIntake {

    private final AvroCodec<CollisionEvent> codec;
    private CollisionEvent reuse;

    EventIntake(AvroCodec<CollisionEvent> codec) {
        this.codec = codec;
    }

    /**
     * The event {@code value} encodes.
     *
     * @throws UndecodableRecordException if there is no value, or it is not a CollisionEvent
     */
    CollisionEvent decode(byte[] value) throws UndecodableRecordException {
        if (value == null) {
            throw new UndecodableRecordException("record has no value", null);
        }
        try {
            reuse = codec.decode(value, reuse);
            return reuse;
        } catch (UndecodableRecordException e) {
            // A failed decode may leave the reused object half written.
            reuse = null;
            throw e;
        }
    }
}
