package org.oddity.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.oddity.monitor.CellWindowStats;
import org.oddity.monitor.OpenWindows;

/**
 * The monitor's changelogged store ({@link AnomalyTopology#MONITOR_STORE}): the partials of open
 * windows, each as it arrived, and the monitor's state (open alerts, CUSUM sums, the last window
 * tested). When the monitor's task moves to another instance, Kafka Streams restores the store
 * there from its changelog, so open windows are completed and open alerts still clear.
 *
 * <p>Keys: {@code monitor} for the monitor's state; {@code open/START\nCELL\nSTRATUM\nVERSION\nPRODUCERS}
 * for a partial, so that one prefix scan finds a window's partials.
 */
final class MonitorStore {

    private static final String MONITOR_KEY = "monitor";
    private static final String OPEN_PREFIX = "open/";

    private final KeyValueStore<String, byte[]> store;

    MonitorStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The monitor's state stored last, null if none was. */
    byte[] monitorState() {
        return store.get(MONITOR_KEY);
    }

    void putMonitorState(byte[] state) {
        store.put(MONITOR_KEY, state);
    }

    /** Stores a partial as it arrived, encoded as {@code summary}, with the producers named in it. */
    void putPartial(CellWindowStats partial, String producers, byte[] summary) {
        store.put(windowPrefix(partial.windowStartNanos()) + OpenWindows.mergeKey(partial) + "\n" + producers, summary);
    }

    /** Every stored partial of an open window, by key. */
    List<KeyValue<String, byte[]>> partials() {
        return scan(OPEN_PREFIX);
    }

    void delete(String key) {
        store.delete(key);
    }

    /** Deletes the partials of window {@code windowStartNanos}, e.g. once it is tested. */
    void deleteWindow(long windowStartNanos) {
        scan(windowPrefix(windowStartNanos)).forEach(entry -> store.delete(entry.key));
    }

    /** Prefix of the keys of window {@code windowStart}'s partials; the newline ends the number. */
    private static String windowPrefix(long windowStart) {
        return OPEN_PREFIX + windowStart + "\n";
    }

    /** The entries whose keys start with {@code prefix}, read before any is changed. */
    private List<KeyValue<String, byte[]>> scan(String prefix) {
        List<KeyValue<String, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> entries = store.prefixScan(prefix, new StringSerializer())) {
            entries.forEachRemaining(out::add);
        }
        return out;
    }
}
