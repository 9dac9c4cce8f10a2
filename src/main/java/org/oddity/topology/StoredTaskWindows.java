package org.oddity.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.oddity.avro.WindowSummary;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.TaskWindows;
import org.oddity.monitor.WindowSummaries;

/**
 * A scoring task's open window partials in the {@link AnomalyTopology#TASK_WINDOWS_STORE} store:
 * what {@link TaskMonitoring} saves at each commit and reads back when the task starts.
 *
 * <p>Keys: {@code newest} for the newest window index seen; {@code open\nSTART\nCELL\nSTRATUM}
 * for a partial, its value the encoded {@link WindowSummary}.
 *
 * <p>A forwarded partial is deleted under exactly-once at once, in the transaction that sends
 * it. At least once it is deleted one commit later, once Kafka Streams has flushed the producer
 * and so the partial is written: deleted at once, the deletion could reach the changelog and the
 * partial not its topic before a crash, and its counts would be lost.
 */
final class StoredTaskWindows {

    private static final Bytes NEWEST_KEY = Bytes.wrap("newest".getBytes(StandardCharsets.UTF_8));
    private static final String PARTIAL_PREFIX = "open\n";

    private final CommitTimeStore store;
    private final boolean atomicCommits;
    private final AvroCodec<WindowSummary> codec = AvroSerde.of(WindowSummary.class).codec();
    /** At least once: keys of partials forwarded since the last commit, and before it. */
    private List<Bytes> forwardedSinceCommit = new ArrayList<>();
    private List<Bytes> forwardedBeforeCommit = new ArrayList<>();
    private long storedNewest = Long.MIN_VALUE;

    /**
     * @param store         the task's store
     * @param atomicCommits whether outputs and store writes commit in one transaction (exactly-once)
     */
    StoredTaskWindows(CommitTimeStore store, boolean atomicCommits) {
        this.store = store;
        this.atomicCommits = atomicCommits;
    }

    /** What the store held for a task starting with model {@code version}. */
    record Restored(long newestWindow, List<CellWindowStats> current, List<KeyValue<Bytes, WindowSummary>> other) {
    }

    /**
     * Reads the stored partials: those of model {@code version}, decoded with {@code layout}, and
     * the others (the model changed while the task was away), still encoded, with their keys.
     */
    Restored read(String version, SummaryLayout layout) throws UndecodableRecordException {
        List<CellWindowStats> current = new ArrayList<>();
        List<KeyValue<Bytes, WindowSummary>> other = new ArrayList<>();
        for (KeyValue<Bytes, byte[]> entry : store.scan(PARTIAL_PREFIX)) {
            WindowSummary summary = codec.decode(entry.value, null);
            if (summary.getModelVersion().equals(version)) {
                current.add(WindowSummaries.fromAvro(summary, layout));
            } else {
                other.add(KeyValue.pair(entry.key, summary));
            }
        }
        byte[] newest = store.entries().get(NEWEST_KEY);
        storedNewest = newest == null ? Long.MIN_VALUE : ByteBuffer.wrap(newest).getLong();
        return new Restored(storedNewest, current, other);
    }

    /** Saves the partials of {@code windows} changed since the last save; runs just before each commit. */
    void save(TaskWindows windows) {
        for (Bytes key : forwardedBeforeCommit) {
            store.entries().delete(key);
        }
        forwardedBeforeCommit.clear();
        List<Bytes> swap = forwardedBeforeCommit;
        forwardedBeforeCommit = forwardedSinceCommit;
        forwardedSinceCommit = swap;
        for (CellWindowStats partial : windows.drainUnsaved()) {
            Bytes key = key(partial);
            // Open again (an event after an idle flush): the forwarded partial's deletion must not take it.
            forwardedBeforeCommit.remove(key);
            store.entries().put(key, codec.encode(WindowSummaries.toAvro(partial)));
        }
        if (windows.newestWindow() != storedNewest) {
            storedNewest = windows.newestWindow();
            store.entries().put(NEWEST_KEY, ByteBuffer.allocate(Long.BYTES).putLong(storedNewest).array());
        }
    }

    /** Deletes forwarded partial {@code partial}, at once or after the next commit (see the class comment). */
    void forwarded(CellWindowStats partial) {
        forwarded(key(partial));
    }

    /** As {@link #forwarded(CellWindowStats)}, by key. */
    void forwarded(Bytes key) {
        if (atomicCommits) {
            store.entries().delete(key);
        } else {
            forwardedSinceCommit.add(key);
        }
    }

    private static Bytes key(CellWindowStats partial) {
        return Bytes.wrap((PARTIAL_PREFIX + partial.windowStartNanos() + "\n" + partial.cell() + "\n"
                + partial.stratum()).getBytes(StandardCharsets.UTF_8));
    }
}
