package org.oddity.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.oddity.calibrate.ScoreReservoir;

/**
 * An online-calibration task's reservoirs in the {@link AnomalyTopology#RESERVOIR_STORE} store,
 * as chunks: at each commit, the scores each reservoir took since the last one. A task that
 * starts again replays its chunks in order, so its reservoirs hold what they held at its last
 * commit; a chunk whose scores the ring has overwritten since is deleted.
 *
 * <p>Keys: {@code chunk\nVERSION\nLEVEL\nCELL\nSEQUENCE}, the sequence zero-padded so that keys
 * sort in the order the chunks were written; values: the score's bits and the event time of each
 * score, 16 bytes each.
 */
final class StoredReservoirs {

    private static final String PREFIX = "chunk\n";

    private final KeyValueStore<Bytes, byte[]> store;
    /** Per reservoir (by key prefix): its stored chunks, oldest first, as {sequence, scores}. */
    private final Map<String, ArrayDeque<long[]>> chunks = new HashMap<>();
    private long nextSequence;

    StoredReservoirs(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Fills {@code reservoirs} (by level, then cell) of model {@code version} from the stored chunks. */
    void restore(String version, ScoreReservoir[][] reservoirs) {
        for (int level = 0; level < reservoirs.length; level++) {
            for (int cell = 0; cell < reservoirs[level].length; cell++) {
                String prefix = prefix(version, level, cell);
                ArrayDeque<long[]> stored = chunks.computeIfAbsent(prefix, p -> new ArrayDeque<>());
                ScoreReservoir reservoir = reservoirs[level][cell];
                for (KeyValue<Bytes, byte[]> chunk : scan(prefix)) {
                    String key = new String(chunk.key.get(), StandardCharsets.UTF_8);
                    long sequence = Long.parseLong(key.substring(prefix.length()));
                    ByteBuffer pairs = ByteBuffer.wrap(chunk.value);
                    while (pairs.remaining() >= 2 * Long.BYTES) {
                        reservoir.add(Double.longBitsToDouble(pairs.getLong()), pairs.getLong());
                    }
                    stored.add(new long[] {sequence, chunk.value.length / (2 * Long.BYTES)});
                    nextSequence = Math.max(nextSequence, sequence + 1);
                }
                reservoir.expire();
                // Restored, not new: the next save must not store them again.
                reservoir.drainAdded();
            }
        }
    }

    /** Stores what each reservoir of model {@code version} took since the last save; runs before each commit. */
    void save(String version, ScoreReservoir[][] reservoirs) {
        for (int level = 0; level < reservoirs.length; level++) {
            for (int cell = 0; cell < reservoirs[level].length; cell++) {
                long[] pairs = reservoirs[level][cell].drainAdded();
                if (pairs.length == 0) {
                    continue;
                }
                String prefix = prefix(version, level, cell);
                ByteBuffer value = ByteBuffer.allocate(pairs.length * Long.BYTES);
                for (long v : pairs) {
                    value.putLong(v);
                }
                long sequence = nextSequence++;
                store.put(key(prefix, sequence), value.array());
                ArrayDeque<long[]> stored = chunks.computeIfAbsent(prefix, p -> new ArrayDeque<>());
                stored.add(new long[] {sequence, pairs.length / 2});
                deleteOverwritten(prefix, stored, reservoirs[level][cell].capacity());
            }
        }
    }

    /** Deletes the oldest chunks while the newer ones alone hold a full reservoir. */
    private void deleteOverwritten(String prefix, ArrayDeque<long[]> stored, int capacity) {
        long held = 0;
        for (long[] chunk : stored) {
            held += chunk[1];
        }
        while (stored.size() > 1 && held - stored.peekFirst()[1] >= capacity) {
            long[] oldest = stored.pollFirst();
            store.delete(key(prefix, oldest[0]));
            held -= oldest[1];
        }
    }

    /** Deletes every stored chunk of a model version that is neither in {@code keep} nor needed any more. */
    void deleteVersionsOtherThan(List<String> keep) {
        for (KeyValue<Bytes, byte[]> chunk : scan(PREFIX)) {
            String key = new String(chunk.key.get(), StandardCharsets.UTF_8);
            String version = key.substring(PREFIX.length(), key.indexOf('\n', PREFIX.length()));
            if (!keep.contains(version)) {
                store.delete(chunk.key);
                chunks.keySet().removeIf(p -> p.startsWith(PREFIX + version + "\n"));
            }
        }
    }

    private static String prefix(String version, int level, int cell) {
        return PREFIX + version + "\n" + level + "\n" + cell + "\n";
    }

    private static Bytes key(String prefix, long sequence) {
        return Bytes.wrap((prefix + String.format("%019d", sequence)).getBytes(StandardCharsets.UTF_8));
    }

    /** The entries whose keys start with {@code prefix}, in key order, read before any is changed. */
    private List<KeyValue<Bytes, byte[]>> scan(String prefix) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(prefix, new StringSerializer())) {
            entries.forEachRemaining(out::add);
        }
        return out;
    }
}
