package org.oddity.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import org.oddity.avro.FailureStage;
import org.oddity.calibrate.CellScheme;

/**
 * Running counts per finest calibration cell, shared by every stream task of an instance:
 * events scored, events flagged, and events a single global threshold would have flagged;
 * plus dead letters per failure stage. Updating is one atomic add, with no lookup by name.
 */
public final class CellCounters {

    private final CellScheme cells;
    private final AtomicLongArray events;
    private final AtomicLongArray flagged;
    private final AtomicLongArray globalFlagged;
    private final AtomicLongArray deadLetters = new AtomicLongArray(FailureStage.values().length);

    /** Zeroed counters for the finest cells of {@code cells}. */
    public CellCounters(CellScheme cells) {
        this.cells = cells;
        int n = cells.cellsAt(0);
        events = new AtomicLongArray(n);
        flagged = new AtomicLongArray(n);
        globalFlagged = new AtomicLongArray(n);
    }

    /** Counts one scored event of finest cell {@code cell}. */
    public void scored(int cell, boolean isFlagged, boolean flaggedByGlobalThreshold) {
        events.incrementAndGet(cell);
        if (isFlagged) {
            flagged.incrementAndGet(cell);
        }
        if (flaggedByGlobalThreshold) {
            globalFlagged.incrementAndGet(cell);
        }
    }

    /** Counts one dead letter of {@code stage}. */
    public void deadLetter(FailureStage stage) {
        deadLetters.incrementAndGet(stage.ordinal());
    }

    public CellScheme cells() {
        return cells;
    }

    public long events(int cell) {
        return events.get(cell);
    }

    public long flagged(int cell) {
        return flagged.get(cell);
    }

    public long globalFlagged(int cell) {
        return globalFlagged.get(cell);
    }

    /** Events scored in every cell. */
    public long totalEvents() {
        long sum = 0;
        for (int i = 0; i < events.length(); i++) {
            sum += events.get(i);
        }
        return sum;
    }

    /** Events flagged in every cell. */
    public long totalFlagged() {
        long sum = 0;
        for (int i = 0; i < flagged.length(); i++) {
            sum += flagged.get(i);
        }
        return sum;
    }

    /** Dead letters of every stage. */
    public long totalDeadLetters() {
        long sum = 0;
        for (int i = 0; i < deadLetters.length(); i++) {
            sum += deadLetters.get(i);
        }
        return sum;
    }

    public long deadLetters(FailureStage stage) {
        return deadLetters.get(stage.ordinal());
    }
}
