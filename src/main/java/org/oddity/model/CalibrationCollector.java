package org.oddity.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.oddity.avro.CollisionEvent;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.monitor.FeatureBinning;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.score.Scorer;

/**
 * Scores held-out background events and groups the scores into a calibration set for every
 * cell at every fallback level. A coarser cell's set is the union of its finest cells' sets,
 * so every level sees every event exactly once.
 *
 * <p>With a feature binning it also counts every event's features per finest cell, the
 * reference histograms the monitor compares each window's features with.
 *
 * <p>Events are scored {@value #BATCH} at a time through {@link Scorer#scoreBatch}, so that a
 * family with a fixed cost per call (ONNX Runtime's session run) pays it once per batch.
 */
public final class CalibrationCollector {

    /** Events per {@link Scorer#scoreBatch} call. */
    static final int BATCH = 256;

    private final Scorer scorer;
    private final FeatureExtractor extractor;
    private final CellScheme cells;
    private final double[][] scores;
    private final int[] counts;
    private final float[] features;
    private final float[] batch;
    private final int[] batchCells;
    private final double[] batchScores;
    private final FeatureBinning binning;
    private final long[][] featureCounts;
    private int pending;
    private long rejected;

    /** Collects scores of {@code scorer} over the cells of {@code cells}. */
    public CalibrationCollector(Scorer scorer, FeatureExtractor extractor, CellScheme cells) {
        this(scorer, extractor, cells, FeatureBinning.none());
    }

    /** Collects scores, and feature counts on {@code binning} per finest cell. */
    public CalibrationCollector(Scorer scorer, FeatureExtractor extractor, CellScheme cells, FeatureBinning binning) {
        this.binning = binning;
        this.featureCounts = new long[cells.cellsAt(0)][binning.totalSlots()];
        this.scorer = scorer;
        this.extractor = extractor;
        this.cells = cells;
        int finest = cells.cellsAt(0);
        this.scores = new double[finest][1024];
        this.counts = new int[finest];
        this.features = new float[extractor.featureNames().size()];
        this.batch = new float[BATCH * features.length];
        this.batchCells = new int[BATCH];
        this.batchScores = new double[BATCH];
    }

    /** Adds one event; events that cannot be scored or placed in a cell are counted and skipped. */
    public void add(CollisionEvent event) {
        int cell = event.getConditions() == null ? -1 : cells.finestCellOf(event.getConditions());
        if (cell < 0) {
            rejected++;
            return;
        }
        try {
            extractor.extract(event, features);
        } catch (InvalidEventException e) {
            rejected++;
            return;
        }
        long[] counts = featureCounts[cell];
        for (int f = 0; f < binning.features(); f++) {
            counts[binning.slotStart(f) + binning.slotOf(f, features[f])]++;
        }
        System.arraycopy(features, 0, batch, pending * features.length, features.length);
        batchCells[pending++] = cell;
        if (pending == BATCH) {
            flush();
        }
    }

    private void flush() {
        scorer.scoreBatch(batch, pending, batchScores);
        for (int i = 0; i < pending; i++) {
            int cell = batchCells[i];
            if (counts[cell] == scores[cell].length) {
                scores[cell] = Arrays.copyOf(scores[cell], scores[cell].length * 2);
            }
            scores[cell][counts[cell]++] = batchScores[i];
        }
        pending = 0;
    }

    /** Events skipped because they could not be scored or had no cell. */
    public long rejected() {
        return rejected;
    }

    /** The feature counts per finest cell name, for every cell with events, on the binning given. */
    public ReferenceHistograms references() {
        flush();
        Map<String, long[]> byCell = new HashMap<>();
        for (int f = 0; f < counts.length; f++) {
            if (counts[f] > 0) {
                byCell.put(cells.cellName(0, f), featureCounts[f]);
            }
        }
        return new ReferenceHistograms(binning, byCell);
    }

    /** Calibration sets by cell name, for every non-empty cell at every level. */
    public Map<String, CalibrationSet> sets() {
        flush();
        Map<Integer, CalibrationSet> finest = new HashMap<>();
        for (int f = 0; f < counts.length; f++) {
            if (counts[f] > 0) {
                finest.put(f, CalibrationSet.of(Arrays.copyOf(scores[f], counts[f])));
            }
        }
        Map<String, CalibrationSet> sets = new HashMap<>();
        for (int level = 0; level < cells.levels(); level++) {
            Map<Integer, List<CalibrationSet>> members = new HashMap<>();
            for (Map.Entry<Integer, CalibrationSet> f : finest.entrySet()) {
                members.computeIfAbsent(cells.cellAt(level, f.getKey()), c -> new ArrayList<>()).add(f.getValue());
            }
            for (Map.Entry<Integer, List<CalibrationSet>> cell : members.entrySet()) {
                List<CalibrationSet> parts = cell.getValue();
                sets.put(cells.cellName(level, cell.getKey()),
                        parts.size() == 1 ? parts.get(0) : CalibrationSet.union(parts));
            }
        }
        return sets;
    }
}
