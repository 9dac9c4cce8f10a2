package org.oddity.monitor;

import java.util.Comparator;

/** Identity of an alert through its lifecycle: kind, cell, and feature (null when the alert is not about one). */
public record AlertKey(AlertKind kind, String cell, String feature) implements Comparable<AlertKey> {

    private static final Comparator<AlertKey> ORDER = Comparator.comparing(AlertKey::kind)
            .thenComparing(AlertKey::cell)
            .thenComparing(AlertKey::feature, Comparator.nullsFirst(Comparator.naturalOrder()));

    public AlertKey {
        if (kind == null || cell == null) {
            throw new IllegalArgumentException("an alert key needs a kind and a cell");
        }
    }

    @Override
    public int compareTo(AlertKey other) {
        return ORDER.compare(this, other);
    }
}
