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
        return of(record.key(), record.value(), metadata == null ? "" : metadata.topic(),
                metadata == null ? -1 : metadata.partition(), metadata == null ? -1L : metadata.offset(), stage,
                reason, nowMillis);
    }

    /** The dead letter of the input record with {@code key} and {@code value} read at {@code topic}, {@code partition}, {@code offset}. */
    static DeadLetter of(byte[] key, byte[] value, String topic, int partition, long offset, FailureStage stage,
            String reason, long nowMillis) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAtMillis(nowMillis)
                .build();
    }
}
