package org.oddity.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
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

    private final CommitTimeStore store;
    /** Per reservoir (by key prefix): its stored chunks. */
    private final Map<String, Chunks> chunks = new HashMap<>();
    private long nextSequence;

    /** One reservoir's stored chunks, oldest first, as {sequence, scores}, and the scores they hold together. */
    private static final class Chunks {
        final ArrayDeque<long[]> list = new ArrayDeque<>();
        long held;

        void add(long sequence, long scores) {
            list.add(new long[] {sequence, scores});
            held += scores;
        }
    }

    StoredReservoirs(CommitTimeStore store) {
        this.store = store;
    }

    /** Fills {@code reservoirs} (by level, then cell) of model {@code version} from the stored chunks. */
    void restore(String version, ScoreReservoir[][] reservoirs) {
        for (int level = 0; level < reservoirs.length; level++) {
            for (int cell = 0; cell < reservoirs[level].length; cell++) {
                String prefix = prefix(version, level, cell);
                Chunks stored = chunks.computeIfAbsent(prefix, p -> new Chunks());
                ScoreReservoir reservoir = reservoirs[level][cell];
                for (KeyValue<Bytes, byte[]> chunk : store.scan(prefix)) {
                    String key = new String(chunk.key.get(), StandardCharsets.UTF_8);
                    long sequence = Long.parseLong(key.substring(prefix.length()));
                    ByteBuffer pairs = ByteBuffer.wrap(chunk.value);
                    while (pairs.remaining() >= 2 * Long.BYTES) {
                        reservoir.add(Double.longBitsToDouble(pairs.getLong()), pairs.getLong());
                    }
                    stored.add(sequence, chunk.value.length / (2 * Long.BYTES));
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
                store.entries().put(key(prefix, sequence), value.array());
                Chunks stored = chunks.computeIfAbsent(prefix, p -> new Chunks());
                stored.add(sequence, pairs.length / 2);
                deleteOverwritten(prefix, stored, reservoirs[level][cell].capacity());
            }
        }
    }

    /** Deletes the oldest chunks while the newer ones alone hold a full reservoir. */
    private void deleteOverwritten(String prefix, Chunks stored, int capacity) {
        while (stored.list.size() > 1 && stored.held - stored.list.peekFirst()[1] >= capacity) {
            long[] oldest = stored.list.pollFirst();
            store.entries().delete(key(prefix, oldest[0]));
            stored.held -= oldest[1];
        }
    }

    /** Deletes every stored chunk of a model version that is neither in {@code keep} nor needed any more. */
    void deleteVersionsOtherThan(List<String> keep) {
        for (KeyValue<Bytes, byte[]> chunk : store.scan(PREFIX)) {
            String key = new String(chunk.key.get(), StandardCharsets.UTF_8);
            if (!keep.contains(versionOf(key))) {
                store.entries().delete(chunk.key);
            }
        }
        chunks.keySet().removeIf(prefix -> !keep.contains(versionOf(prefix)));
    }

    /** The model version in a chunk's key, or in a reservoir's key prefix. */
    private static String versionOf(String key) {
        return key.substring(PREFIX.length(), key.indexOf('\n', PREFIX.length()));
    }

    private static String prefix(String version, int level, int cell) {
        return PREFIX + version + "\n" + level + "\n" + cell + "\n";
    }

    private static Bytes key(String prefix, long sequence) {
        return Bytes.wrap((prefix + String.format("%019d", sequence)).getBytes(StandardCharsets.UTF_8));
    }
}
