package org.oddity.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A global store kept in step with its compacted topic (a tombstone deletes, anything else is
 * put), with each record's value decoded and handed to {@link #loaded}, or to
 * {@link #undecodable} when it is not a {@code T}. Records without a key cannot be compacted
 * and are skipped. Kafka Streams replays the topic through it on restart.
 */
abstract class CompactedTopicLoader<K, T extends SpecificRecord> implements Processor<K, byte[], Void, Void> {

    private final String storeName;
    private final AvroCodec<T> codec;
    private KeyValueStore<K, byte[]> store;

    CompactedTopicLoader(String storeName, AvroCodec<T> codec) {
        this.storeName = storeName;
        this.codec = codec;
    }

    @Override
    public final void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public final void process(Record<K, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        store.put(record.key(), record.value());
        T value;
        try {
            value = codec.decode(record.value(), null);
        } catch (UndecodableRecordException e) {
            undecodable(record.key(), e);
            return;
        }
        loaded(record.key(), value);
    }

    /** Takes up the decoded value of {@code key}. */
    abstract void loaded(K key, T value);

    /** Deals with a value of {@code key} that is not a {@code T}. */
    abstract void undecodable(K key, UndecodableRecordException e);
}
