package org.oddity.pipeline;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.oddity.avro.FailureStage;
import org.oddity.calibrate.CellScheme;

/**
 * Running counts per finest calibration cell, shared by every stream task of an instance:
 * events scored, events flagged (at any working point, and at each), and events a single
 * global threshold would have flagged; plus dead letters per failure stage. Updating is an
 * atomic add per count, with no lookup by name.
 */
public final class CellCounters {

    private final CellScheme cells;
    private final AtomicLongArray events;
    private final AtomicLongArray flagged;
    private final AtomicLongArray globalFlagged;
    private final int workingPoints;
    /** Flags per (finest cell, working point), cell-major. */
    private final AtomicLongArray flaggedAt;
    private final AtomicLongArray deadLetters = new AtomicLongArray(FailureStage.values().length);
    private final AtomicLong monitorFailures = new AtomicLong();
    private final AtomicLong lateSummaries = new AtomicLong();
    private final AtomicLong windowsTested = new AtomicLong();
    private final AtomicLong eventsTested = new AtomicLong();

    /** Zeroed counters for the finest cells of {@code cells} and {@code workingPoints} working points. */
    public CellCounters(CellScheme cells, int workingPoints) {
        this.cells = cells;
        int n = cells.cellsAt(0);
        this.workingPoints = workingPoints;
        events = new AtomicLongArray(n);
        flagged = new AtomicLongArray(n);
        globalFlagged = new AtomicLongArray(n);
        flaggedAt = new AtomicLongArray(n * workingPoints);
    }

    /**
     * Counts one scored event of finest cell {@code cell}.
     *
     * @param passedMask bit k set if the event passed working point k (loosest is 0)
     */
    public void scored(int cell, int passedMask, boolean flaggedByGlobalThreshold) {
        events.incrementAndGet(cell);
        if (passedMask != 0) {
            flagged.incrementAndGet(cell);
            for (int k = 0; k < workingPoints; k++) {
                if ((passedMask & (1 << k)) != 0) {
                    flaggedAt.incrementAndGet(cell * workingPoints + k);
                }
            }
        }
        if (flaggedByGlobalThreshold) {
            globalFlagged.incrementAndGet(cell);
        }
    }

    /** Counts one failure of monitoring; scoring goes on. */
    public void monitorFailure() {
        monitorFailures.incrementAndGet();
    }

    /** Failures of monitoring so far. */
    public long monitorFailures() {
        return monitorFailures.get();
    }

    /** Counts one merged window the monitor tested, holding {@code events} scored events of every task. */
    public void windowTested(long events) {
        windowsTested.incrementAndGet();
        eventsTested.addAndGet(events);
    }

    /** Merged windows the monitor tested. */
    public long windowsTested() {
        return windowsTested.get();
    }

    /** Scored events in the merged windows the monitor tested. */
    public long eventsTested() {
        return eventsTested.get();
    }

    /** Counts one window summary that reached the monitor after its window was tested. */
    public void lateSummary() {
        lateSummaries.incrementAndGet();
    }

    /** Window summaries that came after their window was tested. */
    public long lateSummaries() {
        return lateSummaries.get();
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

    /** Events of finest cell {@code cell} that passed working point {@code workingPoint} (loosest is 0). */
    public long flagged(int cell, int workingPoint) {
        return flaggedAt.get(cell * workingPoints + workingPoint);
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
