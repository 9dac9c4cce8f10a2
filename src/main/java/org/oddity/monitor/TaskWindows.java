package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.oddity.calibrate.CellScheme;

/**
 * One scoring task's open monitoring windows: tumbling event-time windows of a fixed length
 * (one lumisection by default), each holding a {@link CellWindowStats} per finest cell and stratum
 * of pileup that has seen events, plus one for the global cell that takes the dead letters whose
 * cell is unknown. A window holds one or two strata per cell: pileup moves by about half a unit
 * in a lumisection.
 *
 * <p>A window closes once an event arrives more than {@code graceWindows} windows after it, so
 * events up to that late are still counted; a later event is scored but left out of monitoring
 * and counted as late. Not thread-safe: one per task. The per-event path looks up the window
 * only when the event's window differs from the previous event's.
 */
public final class TaskWindows {

    private final CellScheme cells;
    private final SummaryLayout layout;
    private final String modelVersion;
    private final String producer;
    /**
     * How many times {@link #closeAll} has run: a window closed early and opened again by a later
     * event gets a second partial, which must not carry the first one's producer name, or the
     * monitor would skip it as a redelivery.
     */
    private int generation;
    private final long windowNanos;
    private final int graceWindows;
    /** Per open window: per finest cell (and the global cell last) its partials, one per stratum seen. */
    private final TreeMap<Long, CellWindowStats[][]> open = new TreeMap<>();
    private final List<CellWindowStats> closed = new ArrayList<>();
    /** Open partials changed since the last {@link #drainUnsaved}, each once; a closed one is skipped there. */
    private final List<CellWindowStats> unsaved = new ArrayList<>();
    private long newestWindow = Long.MIN_VALUE;
    private long currentWindow = Long.MIN_VALUE;
    private CellWindowStats[][] current;
    private long lateEvents;

    /**
     * @param cells        the cell scheme: one partial per finest cell, plus the global cell
     * @param layout       what each partial counts
     * @param modelVersion the model version scoring the events
     * @param producer     this task's name, unique in the application, without ','
     * @param windowNanos  the window length
     * @param graceWindows how many later windows an event may arrive in and still be counted
     */
    public TaskWindows(CellScheme cells, SummaryLayout layout, String modelVersion, String producer, long windowNanos,
            int graceWindows) {
        if (windowNanos <= 0 || graceWindows < 0) {
            throw new IllegalArgumentException("window " + windowNanos + " ns and grace " + graceWindows
                    + " windows must be positive");
        }
        this.cells = cells;
        this.layout = layout;
        this.modelVersion = modelVersion;
        this.producer = producer;
        this.windowNanos = windowNanos;
        this.graceWindows = graceWindows;
    }

    /**
     * Counts one scored event of finest cell {@code finestCell} and stratum {@code stratum} at
     * event time {@code eventNanos}.
     *
     * @return false if its window had closed: the event is late and not counted
     */
    public boolean addEvent(long eventNanos, int finestCell, int stratum, long run, int lumisection, double p,
            int passedMask, float[] features) {
        CellWindowStats[][] window = windowOf(eventNanos);
        if (window == null) {
            lateEvents++;
            return false;
        }
        CellWindowStats stats = statsOf(window, finestCell, stratum);
        stats.addEvent(run, lumisection, p, passedMask, features);
        markUnsaved(stats);
        return true;
    }

    /** The partial of {@code stratum} in cell slot {@code slot} of {@code window}, created on first use. */
    private CellWindowStats statsOf(CellWindowStats[][] window, int slot, int stratum) {
        CellWindowStats[] strata = window[slot];
        int i = 0;
        while (i < strata.length && strata[i] != null) {
            if (strata[i].stratum() == stratum) {
                return strata[i];
            }
            i++;
        }
        if (i == strata.length) {
            strata = window[slot] = Arrays.copyOf(strata, Math.max(2, 2 * strata.length));
        }
        String cell = slot == window.length - 1 ? CellScheme.GLOBAL : cells.cellName(0, slot);
        long start = currentWindow * windowNanos;
        String name = generation == 0 ? producer : producer + "." + generation;
        strata[i] = new CellWindowStats(start, start + windowNanos, cell, stratum, modelVersion, name, layout);
        return strata[i];
    }

    /**
     * Counts one dead letter at event time {@code eventNanos}, in finest cell {@code finestCell},
     * or, when either is unknown ({@link Long#MIN_VALUE}, -1), in the global cell of the newest window.
     */
    public void addDeadLetter(long eventNanos, int finestCell) {
        if (eventNanos == Long.MIN_VALUE && newestWindow == Long.MIN_VALUE) {
            return;
        }
        CellWindowStats[][] window = windowOf(eventNanos == Long.MIN_VALUE ? newestWindow * windowNanos : eventNanos);
        if (window == null) {
            lateEvents++;
            return;
        }
        CellWindowStats stats = statsOf(window, finestCell < 0 ? window.length - 1 : finestCell, Strata.UNKNOWN);
        stats.addDeadLetter();
        markUnsaved(stats);
    }

    private void markUnsaved(CellWindowStats stats) {
        if (!stats.unsaved) {
            stats.unsaved = true;
            unsaved.add(stats);
        }
    }

    /**
     * The open partials changed since the last call, for the caller to store; a partial closed in
     * the meantime is not among them, since it has been handed out by {@link #drainClosed}.
     */
    public List<CellWindowStats> drainUnsaved() {
        List<CellWindowStats> out = new ArrayList<>(unsaved.size());
        for (CellWindowStats s : unsaved) {
            if (s.unsaved) {
                s.unsaved = false;
                out.add(s);
            }
        }
        unsaved.clear();
        return out;
    }

    /**
     * Puts back open partials stored by an earlier run of this task, so that its counts go on from
     * where the last commit left them: {@code newestWindow} is the newest window index seen then
     * ({@link #newestWindow()}), {@code partials} the partials of its open windows. A partial
     * whose window had closed by then (stored still because it was forwarded just before a crash)
     * is closed again, to be handed out by {@link #drainClosed}.
     *
     * @throws IllegalArgumentException if a partial is of another model version, layout or cell scheme
     */
    public void restore(long newestWindow, List<CellWindowStats> partials) {
        this.newestWindow = Math.max(this.newestWindow, newestWindow);
        for (CellWindowStats s : partials) {
            if (!s.modelVersion().equals(modelVersion) || !s.layout().equals(layout)) {
                throw new IllegalArgumentException("stored partial " + s + " is not of model " + modelVersion);
            }
            long index = Math.floorDiv(s.windowStartNanos(), windowNanos);
            CellWindowStats[][] window = open.computeIfAbsent(index, i -> new CellWindowStats[cells.cellsAt(0) + 1][0]);
            int slot = slotOf(s.cell());
            CellWindowStats[] strata = window[slot];
            int free = 0;
            while (free < strata.length && strata[free] != null) {
                free++;
            }
            if (free == strata.length) {
                strata = window[slot] = Arrays.copyOf(strata, strata.length + 1);
            }
            strata[free] = s;
        }
        currentWindow = Long.MIN_VALUE;
        current = null;
        if (this.newestWindow != Long.MIN_VALUE) {
            closeBefore(this.newestWindow - graceWindows);
        }
    }

    private int slotOf(String cell) {
        int finest = cells.cellsAt(0);
        if (cell.equals(CellScheme.GLOBAL)) {
            return finest;
        }
        for (int slot = 0; slot < finest; slot++) {
            if (cells.cellName(0, slot).equals(cell)) {
                return slot;
            }
        }
        throw new IllegalArgumentException("cell " + cell + " is not a finest cell of this model");
    }

    /** The newest window index an event has opened, {@link Long#MIN_VALUE} before the first. */
    public long newestWindow() {
        return newestWindow;
    }

    /** The partials of every window closed since the last call, oldest first; each is handed out once. */
    public List<CellWindowStats> drainClosed() {
        List<CellWindowStats> out = new ArrayList<>(closed);
        closed.clear();
        return out;
    }

    /** Whether windows closed since the last {@link #drainClosed}. */
    public boolean hasClosed() {
        return !closed.isEmpty();
    }

    /** Closes every open window now, e.g. when the stream has gone quiet or the model changes. */
    public void closeAll() {
        for (Map.Entry<Long, CellWindowStats[][]> w : open.entrySet()) {
            collect(w.getValue());
        }
        open.clear();
        currentWindow = Long.MIN_VALUE;
        current = null;
        generation++;
    }

    /** Events (and dead letters) that arrived after their window had closed. */
    public long lateEvents() {
        return lateEvents;
    }

    /** Window length in nanoseconds. */
    public long windowNanos() {
        return windowNanos;
    }

    private CellWindowStats[][] windowOf(long eventNanos) {
        long index = Math.floorDiv(eventNanos, windowNanos);
        if (index == currentWindow) {
            return current;
        }
        if (newestWindow != Long.MIN_VALUE && index < newestWindow - graceWindows) {
            return null;
        }
        if (index > newestWindow) {
            newestWindow = index;
            closeBefore(newestWindow - graceWindows);
        }
        CellWindowStats[][] window = open.get(index);
        if (window == null) {
            window = new CellWindowStats[cells.cellsAt(0) + 1][0];
            open.put(index, window);
        }
        currentWindow = index;
        current = window;
        return window;
    }

    private void closeBefore(long firstKept) {
        while (!open.isEmpty() && open.firstKey() < firstKept) {
            Map.Entry<Long, CellWindowStats[][]> oldest = open.pollFirstEntry();
            collect(oldest.getValue());
            if (oldest.getKey() == currentWindow) {
                currentWindow = Long.MIN_VALUE;
                current = null;
            }
        }
    }

    private void collect(CellWindowStats[][] window) {
        for (CellWindowStats[] strata : window) {
            for (CellWindowStats s : strata) {
                if (s != null) {
                    s.unsaved = false;
                    closed.add(s);
                }
            }
        }
    }
}
