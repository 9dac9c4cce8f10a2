package org.oddity.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A changelogged key-value store that its processor writes at each commit rather than at each
 * record: just before Kafka Streams commits the task (under exactly-once, just before it sends
 * the input offsets into the transaction), the store calls the processor's
 * {@linkplain #beforeCommit writer}, which puts what changed since the last commit. So state
 * that changes on every event (a scoring task's open window counts) is as durable as the
 * offsets of the events that changed it, at a cost per commit instead of per event.
 *
 * <p>Why not a caching store: its cache holds serialized values, so each event would serialize
 * a whole window partial (about ten kilobytes). Kafka Streams has no commit hook for processors;
 * the one it has is the cache flush it runs on every store that is a {@link CachedStateStore}
 * before each commit, on rebalance and on close, which is what this store takes. That interface
 * lives in Kafka Streams' internals package: {@code WindowRecoveryBrokerTest} and the crash test
 * ({@code CrashRecoveryProcessTest}) fail if a Kafka upgrade stops calling it.
 */
final class CommitTimeStore implements StateStore, CachedStateStore<Bytes, byte[]> {

    private final KeyValueStore<Bytes, byte[]> entries;
    private Runnable writer;

    private CommitTimeStore(KeyValueStore<Bytes, byte[]> entries) {
        this.entries = entries;
    }

    /**
     * A builder of a store named {@code name} on local disk (RocksDB), changelogged, without a
     * cache. On disk, not in memory, because Kafka Streams keeps its process id (and so, under
     * exactly-once, its producers' transactional ids) across restarts only when the topology has
     * a persistent store: a restarted instance then fences its killed predecessor's open
     * transaction at once, where a new id would wait for it to time out (10 s).
     */
    static StoreBuilder<CommitTimeStore> builder(String name) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingDisabled());
    }

    /** The stored entries, restored from the changelog when the task starts; writes go to the changelog. */
    KeyValueStore<Bytes, byte[]> entries() {
        return entries;
    }

    /** The entries whose keys start with {@code prefix} (UTF-8), in key order, read before any is changed. */
    List<KeyValue<Bytes, byte[]>> scan(String prefix) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> found = entries.prefixScan(prefix, new StringSerializer())) {
            found.forEachRemaining(out::add);
        }
        return out;
    }

    /** Runs {@code writer} before every commit of the task, in place of any writer set before. */
    void beforeCommit(Runnable writer) {
        this.writer = writer;
    }

    @Override
    public void flushCache() {
        if (writer != null) {
            writer.run();
        }
    }

    @Override
    public void clearCache() {
        // Nothing is held back from the changelog: what the writer has not put yet is the processor's.
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return entries.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        entries.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        entries.commit(changelogOffsets);
    }

    @Override
    public void close() {
        writer = null;
        entries.close();
    }

    @Override
    public boolean persistent() {
        return entries.persistent();
    }

    @Override
    public boolean isOpen() {
        return entries.isOpen();
    }

    @Override
    public Position getPosition() {
        return entries.getPosition();
    }

    /** Builds the store around the key-value store {@code inner} builds, with its changelog settings. */
    private static final class Builder implements StoreBuilder<CommitTimeStore> {

        private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;

        Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<CommitTimeStore> withCachingEnabled() {
            throw new UnsupportedOperationException("a commit-time store writes at commit; a cache adds nothing");
        }

        @Override
        public StoreBuilder<CommitTimeStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitTimeStore> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<CommitTimeStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("a commit-time store exists for its changelog");
        }

        @Override
        public CommitTimeStore build() {
            return new CommitTimeStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
