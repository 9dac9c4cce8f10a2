package org.oddity.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.event.FeatureExtractor;
import org.oddity.monitor.FeatureBinning;
import org.oddity.monitor.PValueGrid;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.pipeline.EventBatch;
import org.oddity.pipeline.EventScorer;
import org.oddity.pipeline.ScoredEvent;
import org.oddity.score.Scorer;

/**
 * Scores held-out background events and groups the scores into a calibration set for every
 * cell at every fallback level. A coarser cell's set is the union of its finest cells' sets,
 * so every level sees every event exactly once.
 *
 * <p>With a feature binning it also builds the reference the monitor compares each window
 * with: per finest cell and stratum of pileup ({@link Strata#PILEUP_UNITS}), every event's
 * features on the binning, and its leave-one-out conformal p-value against its own cell's set,
 * conservative and randomized, on the {@link PValueGrid}. Leave-one-out, because an event's
 * p-value against a set that holds it is biased low by one rank: against the other n - 1 scores
 * its p-value is distributed as a new exchangeable event's (Vovk, Gammerman and Shafer 2005).
 *
 * <p>Events are scored through the streaming path's own {@link EventScorer}, without
 * calibration, in batches ({@link EventBatch}), so that a family with a fixed cost per call
 * (ONNX Runtime's session run) pays it once per batch.
 */
public final class CalibrationCollector {

    /** Seed of the uniform draws of the reference's randomized p-values, so a bundle is reproducible. */
    private static final long RANDOMIZED_SEED = 0x0dd17eL;

    private final EventBatch batch;
    private final CellScheme cells;
    private final double[][] scores;
    private final int[] counts;
    private final FeatureBinning binning;
    private final Strata strata;
    /** Per finest cell, feature counts by stratum. */
    private final List<Map<Integer, long[]>> featureCounts;
    /** Per finest cell, the stratum of each score, in the order of {@link #scores}. */
    private final int[][] strataOfScores;
    private long rejected;

    /** Collects scores of {@code scorer} over the cells of {@code cells}. */
    public CalibrationCollector(Scorer scorer, FeatureExtractor extractor, CellScheme cells) {
        this(scorer, extractor, cells, FeatureBinning.none(), Strata.NONE);
    }

    /** Collects scores, and the monitor's reference on {@code binning} per finest cell and unit of pileup. */
    public CalibrationCollector(Scorer scorer, FeatureExtractor extractor, CellScheme cells, FeatureBinning binning) {
        this(scorer, extractor, cells, binning, Strata.PILEUP_UNITS);
    }

    /** Collects scores, and the monitor's reference on {@code binning} per finest cell and stratum of {@code strata}. */
    public CalibrationCollector(Scorer scorer, FeatureExtractor extractor, CellScheme cells, FeatureBinning binning,
            Strata strata) {
        this.binning = binning;
        this.strata = strata;
        this.featureCounts = new ArrayList<>();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            featureCounts.add(new TreeMap<>());
        }
        this.strataOfScores = new int[cells.cellsAt(0)][1024];
        this.batch = new EventBatch(EventScorer.uncalibrated(scorer.family(), scorer, extractor, cells), this::collect);
        this.cells = cells;
        int finest = cells.cellsAt(0);
        this.scores = new double[finest][1024];
        this.counts = new int[finest];
    }

    /**
     * Adds one event; events that cannot be placed in a cell or whose features cannot be extracted
     * are counted and skipped.
     *
     * @throws IllegalArgumentException if the model scores an event NaN or infinite (possibly at a
     *                                  later call, when the event's batch is scored)
     */
    public void add(CollisionEvent event) {
        batch.add(event);
    }

    private void collect(CollisionEvent event, ScoredEvent scored) {
        if (scored.failedStage() == FailureStage.SCORE) {
            // A model that scores background NaN or infinite cannot be calibrated: refuse it, do not skip its events.
            throw new IllegalArgumentException("calibration scores must be finite: " + scored.failure());
        }
        if (!scored.ok()) {
            rejected++;
            return;
        }
        int cell = scored.cell();
        int stratum = strata.of(event.getConditions());
        long[] featureSlots = featureCounts.get(cell).computeIfAbsent(stratum, k -> new long[binning.totalSlots()]);
        float[] features = scored.features();
        for (int f = 0; f < binning.features(); f++) {
            featureSlots[binning.slotStart(f) + binning.slotOf(f, features[f])]++;
        }
        if (counts[cell] == scores[cell].length) {
            scores[cell] = Arrays.copyOf(scores[cell], scores[cell].length * 2);
            strataOfScores[cell] = Arrays.copyOf(strataOfScores[cell], scores[cell].length);
        }
        strataOfScores[cell][counts[cell]] = stratum;
        scores[cell][counts[cell]++] = scored.score();
    }

    /** Events skipped because they could not be scored or had no cell. */
    public long rejected() {
        batch.flush();
        return rejected;
    }

    /** The monitor's reference: per finest cell with events and per stratum, feature counts and leave-one-out p-values. */
    public ReferenceHistograms references() {
        return references(name -> null);
    }

    /**
     * The monitor's reference, with each cell's leave-one-out p-values against
     * {@code setOf.apply(cell name)}, a set that holds the cell's collected scores (e.g. their union
     * with a bundle's earlier ones), or against the collected scores alone where it gives null.
     */
    public ReferenceHistograms references(Function<String, CalibrationSet> setOf) {
        batch.flush();
        SplittableRandom random = new SplittableRandom(RANDOMIZED_SEED);
        Map<String, Map<Integer, ReferenceHistograms.Stratum>> byCell = new HashMap<>();
        for (int c = 0; c < counts.length; c++) {
            int n = counts[c];
            if (n == 0) {
                continue;
            }
            CalibrationSet given = setOf.apply(cells.cellName(0, c));
            CalibrationSet set = given != null ? given : CalibrationSet.of(Arrays.copyOf(scores[c], n));
            Map<Integer, long[]> conservative = new HashMap<>();
            Map<Integer, long[]> randomized = new HashMap<>();
            for (int i = 0; i < n; i++) {
                double score = scores[c][i];
                int stratum = strataOfScores[c][i];
                double p = set.leaveOneOutPValue(score);
                double pRandom = set.randomizedLeaveOneOutPValue(score, random.nextDouble());
                conservative.computeIfAbsent(stratum, s -> new long[PValueGrid.bins()])[PValueGrid.binOf(p)]++;
                randomized.computeIfAbsent(stratum, s -> new long[PValueGrid.bins()])[PValueGrid.binOf(pRandom)]++;
            }
            Map<Integer, ReferenceHistograms.Stratum> strataOfCell = new TreeMap<>();
            for (Map.Entry<Integer, long[]> e : conservative.entrySet()) {
                int stratum = e.getKey();
                // Every event has one p-value, so a stratum's events are its p-value counts.
                strataOfCell.put(stratum, new ReferenceHistograms.Stratum(LongStream.of(e.getValue()).sum(),
                        featureCounts.get(c).get(stratum), e.getValue(), randomized.get(stratum)));
            }
            byCell.put(cells.cellName(0, c), strataOfCell);
        }
        return new ReferenceHistograms(binning, strata, byCell);
    }

    /** Calibration sets by cell name, for every non-empty cell at every level. */
    public Map<String, CalibrationSet> sets() {
        batch.flush();
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
