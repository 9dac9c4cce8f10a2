package org.oddity.eventfile;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a reader does with a bad row: stop with its {@link BadRowException}, or count it by
 * reason and go on with the next row.
 */
public final class BadRows {

    private final boolean skip;
    private final Map<BadRowException.Reason, Long> skipped = new EnumMap<>(BadRowException.Reason.class);

    private BadRows(boolean skip) {
        this.skip = skip;
    }

    /** The first bad row stops reading. */
    public static BadRows failing() {
        return new BadRows(false);
    }

    /** Bad rows are counted and skipped. */
    public static BadRows skipping() {
        return new BadRows(true);
    }

    /** Throws {@code bad}, or counts it when skipping. */
    void handle(BadRowException bad) {
        if (!skip) {
            throw bad;
        }
        skipped.merge(bad.reason(), bad.rows(), Long::sum);
    }

    /** Rows skipped so far, by reason; reasons with none are absent. */
    public Map<BadRowException.Reason, Long> byReason() {
        return Collections.unmodifiableMap(skipped);
    }

    /** Rows skipped so far. */
    public long total() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
}
