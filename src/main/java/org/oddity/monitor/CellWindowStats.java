package org.oddity.monitor;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The monitoring counts of one (window, cell, stratum, model version): events, flags per working point,
 * the p-value histogram, per-feature histograms, dead letters and the run/lumisection range.
 * A scoring task fills one per (window, cell, stratum of pileup, see {@link Strata}) event by event; the downstream aggregation merges
 * the partials of all tasks. Not thread-safe.
 *
 * <p>Merging adds counts and widens the range, so it is associative and commutative. Each
 * partial names the task that produced it; a partial whose producers were all merged already is
 * a redelivery and is skipped, so at-least-once delivery does not count a task twice.
 */
public final class CellWindowStats {

    private final long windowStartNanos;
    private final long windowEndNanos;
    private final String cell;
    private final int stratum;
    private final String modelVersion;
    private final SummaryLayout layout;
    private final NavigableSet<String> producers;
    private final long[] flagged;
    private final long[] pValueCounts;
    private final long[] featureCounts;
    private long events;
    private long deadLetters;
    private long firstRun = Long.MAX_VALUE;
    private int firstLumisection = Integer.MAX_VALUE;
    private long lastRun = Long.MIN_VALUE;
    private int lastLumisection = Integer.MIN_VALUE;
    /** Changed since its task last stored it; kept by {@link TaskWindows}, which stores open partials at each commit. */
    boolean unsaved;

    /**
     * An empty partial.
     *
     * @param producer the task filling it, unique among the tasks and instances of the application; no ','
     */
    public CellWindowStats(long windowStartNanos, long windowEndNanos, String cell, int stratum, String modelVersion,
            String producer, SummaryLayout layout) {
        this(windowStartNanos, windowEndNanos, cell, stratum, modelVersion, Set.of(producer), layout);
    }

    CellWindowStats(long windowStartNanos, long windowEndNanos, String cell, int stratum, String modelVersion,
            Set<String> producers, SummaryLayout layout) {
        if (cell == null || modelVersion == null || layout == null) {
            throw new IllegalArgumentException("a window summary needs a cell, a model version and a layout");
        }
        for (String p : producers) {
            if (p == null || p.isEmpty() || p.indexOf(',') >= 0) {
                throw new IllegalArgumentException("producer must be non-empty without ',': " + p);
            }
        }
        this.windowStartNanos = windowStartNanos;
        this.windowEndNanos = windowEndNanos;
        this.cell = cell;
        this.stratum = stratum;
        this.modelVersion = modelVersion;
        this.layout = layout;
        this.producers = new TreeSet<>(producers);
        this.flagged = new long[layout.workingPoints().size()];
        this.pValueCounts = new long[layout.pValueBins()];
        this.featureCounts = new long[layout.binning().totalSlots()];
    }

    /**
     * Counts one scored event. Allocation-free: called for every event.
     *
     * @param p          its p-value; one outside [0, 1] (or NaN) is left out of the p-value histogram
     * @param passedMask bit k set if it passed working point k of the layout (loosest is 0)
     * @param features   its feature vector; one of the wrong length (or null) is left out of the feature histograms
     */
    public void addEvent(long run, int lumisection, double p, int passedMask, float[] features) {
        events++;
        widenRunRange(run, lumisection, run, lumisection);
        for (int k = 0; k < flagged.length; k++) {
            if ((passedMask & (1 << k)) != 0) {
                flagged[k]++;
            }
        }
        if (p >= 0.0 && p <= 1.0) {
            pValueCounts[Math.min(pValueCounts.length - 1, (int) (p * pValueCounts.length))]++;
        }
        FeatureBinning binning = layout.binning();
        if (features != null && features.length == binning.features()) {
            for (int f = 0; f < features.length; f++) {
                featureCounts[binning.slotStart(f) + binning.slotOf(f, features[f])]++;
            }
        }
    }

    /** Counts one record of this window that could not be scored. */
    public void addDeadLetter() {
        deadLetters++;
    }

    /**
     * Adds {@code other}'s counts to these.
     *
     * @return false if every producer of {@code other} was merged already (a redelivery, skipped)
     * @throws IllegalArgumentException if {@code other} is of another window, cell, stratum, model version or
     *                                  layout, or shares only some of its producers with this
     */
    public boolean merge(CellWindowStats other) {
        if (other.windowStartNanos != windowStartNanos || other.windowEndNanos != windowEndNanos
                || !other.cell.equals(cell) || other.stratum != stratum || !other.modelVersion.equals(modelVersion)) {
            throw new IllegalArgumentException("cannot merge " + other.describe() + " into " + describe());
        }
        if (!other.layout.equals(layout)) {
            throw new IllegalArgumentException("cannot merge " + other.describe() + ": its layout differs");
        }
        if (producers.containsAll(other.producers)) {
            return false;
        }
        if (!Collections.disjoint(producers, other.producers)) {
            throw new IllegalArgumentException("cannot merge " + other.describe() + " from " + other.producers
                    + ": some but not all of them are merged already in " + producers);
        }
        producers.addAll(other.producers);
        events += other.events;
        deadLetters += other.deadLetters;
        Counts.add(flagged, other.flagged);
        Counts.add(pValueCounts, other.pValueCounts);
        Counts.add(featureCounts, other.featureCounts);
        widenRunRange(other.firstRun, other.firstLumisection, other.lastRun, other.lastLumisection);
        return true;
    }

    /** Widens the (run, lumisection) range to take in [from, to]. Allocation-free: called for every event. */
    private void widenRunRange(long fromRun, int fromLumisection, long toRun, int toLumisection) {
        if (fromRun < firstRun || (fromRun == firstRun && fromLumisection < firstLumisection)) {
            firstRun = fromRun;
            firstLumisection = fromLumisection;
        }
        if (toRun > lastRun || (toRun == lastRun && toLumisection > lastLumisection)) {
            lastRun = toRun;
            lastLumisection = toLumisection;
        }
    }

    /** Restores the counts of a partial read back from its Avro form; the arrays are copied. */
    void restore(long events, long deadLetters, long[] flagged, long[] pValueCounts, long[] featureCounts,
            long firstRun, int firstLumisection, long lastRun, int lastLumisection) {
        this.events = events;
        this.deadLetters = deadLetters;
        System.arraycopy(flagged, 0, this.flagged, 0, this.flagged.length);
        System.arraycopy(pValueCounts, 0, this.pValueCounts, 0, this.pValueCounts.length);
        System.arraycopy(featureCounts, 0, this.featureCounts, 0, this.featureCounts.length);
        this.firstRun = firstRun;
        this.firstLumisection = firstLumisection;
        this.lastRun = lastRun;
        this.lastLumisection = lastLumisection;
    }

    private String describe() {
        return "window [" + windowStartNanos + ", " + windowEndNanos + ") cell " + cell + " stratum " + stratum
                + " model " + modelVersion;
    }

    public long windowStartNanos() {
        return windowStartNanos;
    }

    public long windowEndNanos() {
        return windowEndNanos;
    }

    public String cell() {
        return cell;
    }

    /** The stratum of pileup inside the cell, {@link Strata#UNKNOWN} for none. */
    public int stratum() {
        return stratum;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public SummaryLayout layout() {
        return layout;
    }

    /** The producers merged into this, sorted. */
    public Set<String> producers() {
        return Collections.unmodifiableSet(producers);
    }

    /** Events scored. */
    public long events() {
        return events;
    }

    /** Records that could not be scored. */
    public long deadLetters() {
        return deadLetters;
    }

    /** Events that passed each working point of the layout, loosest first. */
    public long[] flagged() {
        return flagged.clone();
    }

    /** Events per equal p-value bin over [0, 1]. */
    public long[] pValueHistogram() {
        return pValueCounts.clone();
    }

    /** Events per slot of the flat feature histogram of the layout's binning. */
    public long[] featureHistograms() {
        return featureCounts.clone();
    }

    /** Whether any event gave a run/lumisection range. */
    public boolean hasRunRange() {
        return firstRun != Long.MAX_VALUE || firstLumisection != Integer.MAX_VALUE;
    }

    /** Run of the earliest (run, lumisection) seen; {@link Long#MAX_VALUE} before any event. */
    public long firstRun() {
        return firstRun;
    }

    /** Lumisection of the earliest (run, lumisection) seen; {@link Integer#MAX_VALUE} before any event. */
    public int firstLumisection() {
        return firstLumisection;
    }

    /** Run of the latest (run, lumisection) seen; {@link Long#MIN_VALUE} before any event. */
    public long lastRun() {
        return lastRun;
    }

    /** Lumisection of the latest (run, lumisection) seen; {@link Integer#MIN_VALUE} before any event. */
    public int lastLumisection() {
        return lastLumisection;
    }

    @Override
    public String toString() {
        return describe() + ": " + events + " events, flagged " + Arrays.toString(flagged) + ", " + deadLetters
                + " dead letters";
    }
}
