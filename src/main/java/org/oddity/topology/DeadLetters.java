package org.oddity.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;

/** Builds the dead letter of an input record that could not be processed: stage, reason, where it came from and its bytes. */
final class DeadLetters {

    private DeadLetters() {
    }

    /** The dead letter of {@code record}, read from {@code metadata} (null when unknown). */
    static DeadLetter of(Record<byte[], byte[]> record, RecordMetadata metadata, FailureStage stage, String reason,
            long nowMillis) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setTopic(metadata == null ? "" : metadata.topic())
                .setPartition(metadata == null ? -1 : metadata.partition())
                .setOffset(metadata == null ? -1L : metadata.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setFailedAtMillis(nowMillis)
                .build();
    }
}
