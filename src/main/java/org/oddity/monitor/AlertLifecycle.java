package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lifecycle of alerts keyed by (kind, cell, feature), advanced once per window: a firing
 * finding raises its alert once, updates it as ongoing in each later window it fires again (so
 * at most once a window), and the alert clears after a number of consecutive windows without a
 * firing finding (windows where the test did not run count as quiet). After it clears, the next
 * firing finding raises it anew.
 */
final class AlertLifecycle {

    /** One transition of one alert in a window. */
    record Transition(AlertState state, Finding finding, long raisedAtNanos) {
    }

    static final class Open {
        final long raisedAtNanos;
        Finding latest;
        int quiet;

        Open(long raisedAtNanos, Finding latest) {
            this.raisedAtNanos = raisedAtNanos;
            this.latest = latest;
        }
    }

    private final int quietWindows;
    private final Map<AlertKey, Open> open = new TreeMap<>();

    /** @param quietWindows consecutive quiet windows that clear an alert, >= 1 */
    AlertLifecycle(int quietWindows) {
        if (quietWindows < 1) {
            throw new IllegalArgumentException("quiet windows must be at least 1: " + quietWindows);
        }
        this.quietWindows = quietWindows;
    }

    /** The open alerts by key, live: {@link MonitorState} reads and restores them. */
    Map<AlertKey, Open> openAlerts() {
        return open;
    }

    /** Whether the alert of {@code key} is raised and not yet cleared. */
    boolean isOpen(AlertKey key) {
        return open.containsKey(key);
    }

    /**
     * Advances every alert by one window.
     *
     * @param windowEndNanos end of the window, recorded as the raising time of alerts it raises
     * @param findings       this window's findings, at most one per key (a later duplicate is ignored)
     * @return the transitions, in key order
     */
    List<Transition> advance(long windowEndNanos, Collection<Finding> findings) {
        Map<AlertKey, Finding> byKey = new TreeMap<>();
        for (Finding f : findings) {
            byKey.putIfAbsent(f.key(), f);
        }
        TreeSet<AlertKey> keys = new TreeSet<>(open.keySet());
        keys.addAll(byKey.keySet());
        List<Transition> out = new ArrayList<>();
        for (AlertKey key : keys) {
            Finding f = byKey.get(key);
            Open alert = open.get(key);
            if (f != null && f.firing()) {
                if (alert == null) {
                    open.put(key, new Open(windowEndNanos, f));
                    out.add(new Transition(AlertState.RAISED, f, windowEndNanos));
                } else {
                    alert.latest = f;
                    alert.quiet = 0;
                    out.add(new Transition(AlertState.ONGOING, f, alert.raisedAtNanos));
                }
            } else if (alert != null) {
                if (f != null) {
                    alert.latest = f;
                }
                if (++alert.quiet >= quietWindows) {
                    open.remove(key);
                    out.add(new Transition(AlertState.CLEARED, alert.latest, alert.raisedAtNanos));
                }
            }
        }
        return out;
    }
}
