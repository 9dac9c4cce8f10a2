package org.oddity.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.oddity.score.FeatureMatrix;

/**
 * Held-out background counted per calibration cell and per stratum of pileup ({@link Strata}):
 * the null of the monitor's window tests, stored as one JSON file in a model bundle.
 *
 * <p>Per (cell, stratum) it keeps the events, their features counted on a {@link FeatureBinning},
 * and their leave-one-out conformal p-values against their cell's own calibration set counted on
 * the {@link PValueGrid}, conservative and randomized. Counts, not probabilities, are kept: the
 * window is tested against them by tests that allow for the reference's own sampling noise (the
 * likelihood-ratio G-test of homogeneity {@link LikelihoodRatioTest#stratifiedHomogeneity} and
 * {@link StratifiedFlagTest}), so the reference need not dwarf a window. Strata, because the
 * background's features and flag rate change with pileup inside a cell: a window at one pileup is
 * compared with the reference at that pileup.
 *
 * <p>The file's layout is {@link ReferenceFile}'s.
 */
public final class ReferenceHistograms {

    /**
     * One stratum of one cell.
     *
     * @param events            held-out events
     * @param features          flat histogram of {@link FeatureBinning#totalSlots()} counts
     * @param pValues           conservative leave-one-out p-values on the {@link PValueGrid}, or empty
     * @param randomizedPValues randomized ones, or empty
     */
    public record Stratum(long events, long[] features, long[] pValues, long[] randomizedPValues) {

        /** Whether p-value counts were kept. */
        public boolean hasPValues() {
            return pValues.length > 0;
        }

        /** The p-value counts of the mode given. */
        public long[] pValues(boolean randomized) {
            return randomized ? randomizedPValues : pValues;
        }

        /** The one stratum of a cell without strata or p-values: its events are those counted for the first feature. */
        static Stratum unstratified(FeatureBinning binning, long[] counts) {
            long events = 0;
            if (binning.features() > 0 && counts.length == binning.totalSlots()) {
                for (int s = 0; s < binning.slots(0); s++) {
                    events += counts[s];
                }
            }
            return new Stratum(events, counts, new long[0], new long[0]);
        }
    }

    private final FeatureBinning binning;
    private final Strata strata;
    private final Map<String, TreeMap<Integer, Stratum>> byCell;
    private final Map<String, long[]> countsByCell;
    private final Map<String, long[]> totalsByCell;

    /**
     * A reference without strata or p-values.
     *
     * @param binning      the bins the counts are on
     * @param countsByCell per cell name, a flat histogram of {@link FeatureBinning#totalSlots()} non-negative counts
     */
    public ReferenceHistograms(FeatureBinning binning, Map<String, long[]> countsByCell) {
        this(binning, Strata.NONE, unstratified(binning, countsByCell));
    }

    /**
     * @param binning the bins the feature counts are on
     * @param strata  how events were split inside a cell
     * @param byCell  per cell name, its strata by index
     */
    public ReferenceHistograms(FeatureBinning binning, Strata strata, Map<String, ? extends Map<Integer, Stratum>> byCell) {
        this.binning = binning;
        this.strata = strata;
        this.byCell = new TreeMap<>();
        this.countsByCell = new TreeMap<>();
        this.totalsByCell = new TreeMap<>();
        for (Map.Entry<String, ? extends Map<Integer, Stratum>> cell : byCell.entrySet()) {
            long[] counts = new long[binning.totalSlots()];
            TreeMap<Integer, Stratum> kept = new TreeMap<>();
            for (Map.Entry<Integer, Stratum> e : cell.getValue().entrySet()) {
                Stratum s = checked(cell.getKey(), e.getValue());
                kept.put(e.getKey(), s);
                Counts.add(counts, s.features());
            }
            long[] totals = new long[binning.features()];
            for (int f = 0; f < binning.features(); f++) {
                for (int s = binning.slotStart(f); s < binning.slotStart(f) + binning.slots(f); s++) {
                    totals[f] += counts[s];
                }
            }
            this.byCell.put(cell.getKey(), kept);
            this.countsByCell.put(cell.getKey(), counts);
            this.totalsByCell.put(cell.getKey(), totals);
        }
    }

    private Stratum checked(String cell, Stratum s) {
        if (s.features().length != binning.totalSlots()) {
            throw new IllegalArgumentException("reference counts of cell " + cell + " have " + s.features().length
                    + " slots, the binning " + binning.totalSlots());
        }
        if (s.pValues().length != s.randomizedPValues().length
                || (s.pValues().length != 0 && s.pValues().length != PValueGrid.bins())) {
            throw new IllegalArgumentException("reference p-values of cell " + cell + " must have "
                    + PValueGrid.bins() + " bins in both modes, or none");
        }
        if (s.events() < 0 || negative(s.features()) || negative(s.pValues()) || negative(s.randomizedPValues())) {
            throw new IllegalArgumentException("negative reference count in cell " + cell);
        }
        return new Stratum(s.events(), s.features().clone(), s.pValues().clone(), s.randomizedPValues().clone());
    }

    private static boolean negative(long[] counts) {
        for (long c : counts) {
            if (c < 0) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Map<Integer, Stratum>> unstratified(FeatureBinning binning, Map<String, long[]> counts) {
        Map<String, Map<Integer, Stratum>> out = new TreeMap<>();
        counts.forEach((cell, c) -> out.put(cell, Map.of(Strata.UNKNOWN, Stratum.unstratified(binning, c))));
        return out;
    }

    /** Counts every held-out event of each cell on {@code binning}; each matrix has a column per feature. */
    public static ReferenceHistograms fit(FeatureBinning binning, Map<String, FeatureMatrix> heldOutByCell) {
        Map<String, long[]> counts = new TreeMap<>();
        float[] row = new float[binning.features()];
        for (Map.Entry<String, FeatureMatrix> e : heldOutByCell.entrySet()) {
            FeatureMatrix m = e.getValue();
            if (m.columns() != binning.features()) {
                throw new IllegalArgumentException("held-out events of cell " + e.getKey() + " have " + m.columns()
                        + " features, the binning " + binning.features());
            }
            long[] c = new long[binning.totalSlots()];
            for (int r = 0; r < m.rows(); r++) {
                m.copyRow(r, row);
                for (int f = 0; f < row.length; f++) {
                    c[binning.slotStart(f) + binning.slotOf(f, row[f])]++;
                }
            }
            counts.put(e.getKey(), c);
        }
        return new ReferenceHistograms(binning, counts);
    }

    /**
     * This reference with {@code other}'s counts added, stratum by stratum, e.g. a bundle's
     * reference and the one of the events a later calibration added. P-value counts are kept only
     * where both strata have them.
     *
     * @throws IllegalArgumentException if the two are on different binnings or strata
     */
    public ReferenceHistograms plus(ReferenceHistograms other) {
        if (!other.binning.equals(binning) || !other.strata.equals(strata)) {
            throw new IllegalArgumentException("cannot add a reference on other bins or strata: " + other.strata
                    + " to " + strata);
        }
        Map<String, Map<Integer, Stratum>> sum = new TreeMap<>();
        for (Map<String, TreeMap<Integer, Stratum>> side : List.of(byCell, other.byCell)) {
            for (Map.Entry<String, TreeMap<Integer, Stratum>> cell : side.entrySet()) {
                Map<Integer, Stratum> strataOfCell = sum.computeIfAbsent(cell.getKey(), c -> new TreeMap<>());
                cell.getValue().forEach((index, s) -> strataOfCell.merge(index, s, ReferenceHistograms::add));
            }
        }
        return new ReferenceHistograms(binning, strata, sum);
    }

    private static Stratum add(Stratum a, Stratum b) {
        boolean withPValues = a.hasPValues() && b.hasPValues();
        return new Stratum(a.events() + b.events(), Counts.sum(a.features(), b.features()),
                withPValues ? Counts.sum(a.pValues(), b.pValues()) : new long[0],
                withPValues ? Counts.sum(a.randomizedPValues(), b.randomizedPValues()) : new long[0]);
    }

    /** The bins the counts are on. */
    public FeatureBinning binning() {
        return binning;
    }

    /** How events were split inside a cell. */
    public Strata strata() {
        return strata;
    }

    /** Stratum {@code stratum} of {@code cell}, or null if the reference has no event there. */
    public Stratum stratum(String cell, int stratum) {
        TreeMap<Integer, Stratum> strataOfCell = byCell.get(cell);
        return strataOfCell == null ? null : strataOfCell.get(stratum);
    }

    /** The strata of {@code cell} with events, by index; empty for a cell without a reference. */
    public Map<Integer, Stratum> strataOf(String cell) {
        TreeMap<Integer, Stratum> strataOfCell = byCell.get(cell);
        return strataOfCell == null ? Map.of() : Collections.unmodifiableMap(strataOfCell);
    }

    /** The cells with reference counts, sorted. */
    public Set<String> cells() {
        return Collections.unmodifiableSet(countsByCell.keySet());
    }

    /** Reference count of {@code cell} in {@code slot} of the flat histogram, 0 for a cell without a reference. */
    public long count(String cell, int slot) {
        long[] counts = countsByCell.get(cell);
        return counts == null ? 0 : counts[slot];
    }

    /** Reference events of {@code cell} counted for {@code feature}, 0 for a cell without a reference. */
    public long total(String cell, int feature) {
        long[] totals = totalsByCell.get(cell);
        return totals == null ? 0 : totals[feature];
    }

    /** Reference probability of slot {@code slot} (relative to the feature's first) of {@code feature} in {@code cell}; NaN without events. */
    public double probability(String cell, int feature, int slot) {
        long total = total(cell, feature);
        return total == 0 ? Double.NaN : (double) count(cell, binning.slotStart(feature) + slot) / total;
    }

    /** The flat counts of {@code cell}, shared and not to be modified; null for a cell without a reference. */
    long[] countsOf(String cell) {
        return countsByCell.get(cell);
    }

    /** Writes the binning, the strata and the counts to {@code file} ({@link ReferenceFile}). */
    public void write(Path file) throws IOException {
        ReferenceFile.write(this, file);
    }

    /** Reads a file written by {@link #write}; an IOException naming the file and the field if it is malformed. */
    public static ReferenceHistograms read(Path file) throws IOException {
        return ReferenceFile.read(file);
    }
}
