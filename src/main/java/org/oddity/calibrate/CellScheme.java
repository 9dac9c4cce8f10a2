package org.oddity.calibrate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.oddity.avro.RunConditions;

/**
 * The calibration cells: a grid over run-condition dimensions, plus a declared fallback order
 * of coarser grids that ends at the single global cell.
 *
 * <p>Level 0 is the finest grid over every dimension; each later level keeps a subset of the
 * previous level's dimensions. An event maps to one finest cell, and through it to exactly
 * one cell at every level, by table lookup.
 */
public final class CellScheme {

    /** Name of the cell that holds every event. */
    public static final String GLOBAL = "global";

    private final List<CellDimension> dimensions;
    private final List<List<String>> levels;
    private final int[][] cellAtLevel;
    private final String[][] names;

    /**
     * @param dimensions the run conditions to split on
     * @param fallback   field lists from finest to coarsest; the first names every dimension,
     *                   each is a subset of the one before, and the last is empty (global)
     */
    public CellScheme(List<CellDimension> dimensions, List<List<String>> fallback) {
        this.dimensions = List.copyOf(dimensions);
        this.levels = fallback.stream().map(List::copyOf).toList();
        validate();
        int finest = 1;
        for (CellDimension d : dimensions) {
            finest *= d.bins();
        }
        cellAtLevel = new int[levels.size()][finest];
        names = new String[levels.size()][];
        for (int level = 0; level < levels.size(); level++) {
            List<String> kept = levels.get(level);
            int cells = 1;
            for (CellDimension d : dimensions) {
                if (kept.contains(d.field())) {
                    cells *= d.bins();
                }
            }
            names[level] = new String[cells];
            for (int f = 0; f < finest; f++) {
                int[] bins = binsOf(f);
                int cell = 0;
                List<String> labels = new ArrayList<>();
                for (int d = 0; d < dimensions.size(); d++) {
                    if (kept.contains(dimensions.get(d).field())) {
                        cell = cell * dimensions.get(d).bins() + bins[d];
                        labels.add(dimensions.get(d).label(bins[d]));
                    }
                }
                cellAtLevel[level][f] = cell;
                names[level][cell] = labels.isEmpty() ? GLOBAL : String.join("|", labels);
            }
        }
    }

    /** A scheme with a single global cell. */
    public static CellScheme globalOnly() {
        return new CellScheme(List.of(), List.of(List.of()));
    }

    private void validate() {
        Set<String> fields = new HashSet<>();
        for (CellDimension d : dimensions) {
            if (!fields.add(d.field())) {
                throw new IllegalArgumentException("dimension " + d.field() + " appears twice");
            }
        }
        if (levels.isEmpty() || !Set.copyOf(levels.get(0)).equals(fields) || levels.get(0).size() != fields.size()) {
            throw new IllegalArgumentException("the first fallback level must name every dimension " + fields
                    + ", got " + (levels.isEmpty() ? "none" : levels.get(0)));
        }
        if (!levels.get(levels.size() - 1).isEmpty()) {
            throw new IllegalArgumentException("the fallback order must end at the global cell");
        }
        for (int i = 1; i < levels.size(); i++) {
            if (!levels.get(i - 1).containsAll(levels.get(i)) || levels.get(i - 1).size() == levels.get(i).size()) {
                throw new IllegalArgumentException("fallback level " + levels.get(i)
                        + " must be strictly coarser than " + levels.get(i - 1));
            }
        }
    }

    private int[] binsOf(int finestCell) {
        int[] bins = new int[dimensions.size()];
        int rest = finestCell;
        for (int d = dimensions.size() - 1; d >= 0; d--) {
            bins[d] = rest % dimensions.get(d).bins();
            rest /= dimensions.get(d).bins();
        }
        return bins;
    }

    /** Number of fallback levels, the finest first and the global cell last. */
    public int levels() {
        return levels.size();
    }

    /** Number of cells at {@code level}. */
    public int cellsAt(int level) {
        return names[level].length;
    }

    /** Name of cell {@code cell} at {@code level}, e.g. {@code 30<=pileup<40|detectorState=ALL_IN}. */
    public String cellName(int level, int cell) {
        return names[level][cell];
    }

    /** The cell at {@code level} that contains finest cell {@code finestCell}. */
    public int cellAt(int level, int finestCell) {
        return cellAtLevel[level][finestCell];
    }

    /** Finest cell of the event's conditions, or -1 if a field the scheme needs is missing. */
    public int finestCellOf(RunConditions conditions) {
        int cell = 0;
        for (CellDimension d : dimensions) {
            int bin = d.binOf(conditions);
            if (bin < 0) {
                return -1;
            }
            cell = cell * d.bins() + bin;
        }
        return cell;
    }

    /** The first field the scheme needs that {@code conditions} lacks, or null if none is missing. */
    public String missingField(RunConditions conditions) {
        for (CellDimension d : dimensions) {
            if (d.binOf(conditions) < 0) {
                return d.field();
            }
        }
        return null;
    }

    /** Run-condition fields an event must carry to be placed in a cell. */
    public List<String> requiredFields() {
        return dimensions.stream().map(CellDimension::field).toList();
    }

    /** Every cell name at every level, finest level first. */
    public List<String> allCellNames() {
        List<String> all = new ArrayList<>();
        for (String[] level : names) {
            all.addAll(List.of(level));
        }
        return all;
    }
}
