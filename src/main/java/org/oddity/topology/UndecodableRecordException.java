package org.oddity.topology;

import java.io.IOException;

/**
 * Bytes that are not a record of the expected type in Avro single-object encoding: a bad
 * marker, an unknown writer schema, or a datum cut short. Avro reports these as an
 * {@code IOException}, an unchecked {@code AvroRuntimeException} or an
 * {@code IndexOutOfBoundsException}; {@link AvroCodec#decode} turns all three into this one.
 */
public final class UndecodableRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
