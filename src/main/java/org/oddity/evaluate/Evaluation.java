package org.oddity.evaluate;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.RunConditions;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.score.Scorer;

/**
 * Scores events exactly as the streaming path does (the bundle's extractor with its preprocessing, its
 * scorer, the calibration resolved over the cell scheme, the p-value mode of the settings) and tallies
 * them for the report. Events the stream would send to the dead-letter topic are counted by stage.
 *
 * <p>Events are scored {@value #BATCH} at a time through {@link Scorer#scoreBatch}, which gives the same
 * scores as one call per event; the randomized p-values draw in event order from one seeded stream.
 */
public final class Evaluation {

    /** Events per {@link Scorer#scoreBatch} call. */
    static final int BATCH = 256;
    /** Stage of an event without a cell or whose features cannot be extracted, as on the dead-letter topic. */
    static final String VALIDATE = "VALIDATE";
    /** Stage of an event whose score is NaN. */
    static final String SCORE = "SCORE";

    private final ScoringModel model;
    private final Predicate<String> background;
    private final PValueMode mode;
    private final SplittableRandom random;
    private final CellScheme cells;
    private final FeatureExtractor extractor;
    private final Scorer scorer;
    private final EvaluationTally tally;
    private final float[] features;
    private final float[] batch;
    private final int[] batchCells;
    private final String[] batchLabels;
    private final double[] batchScores;
    private final double[] pValues;
    private int pending;
    private long read;

    /**
     * @param model      the bundle resolved over the settings' cells and working points
     * @param mode       conservative or randomized p-values
     * @param seed       seed of the randomized p-values' draws
     * @param background whether an event's truth label (null for none) marks background
     */
    public Evaluation(ScoringModel model, PValueMode mode, long seed, Predicate<String> background) {
        this.model = model;
        this.background = background;
        this.mode = mode;
        this.random = new SplittableRandom(seed);
        this.cells = model.cells();
        this.extractor = model.bundle().newExtractor();
        this.scorer = model.bundle().scorer();
        List<WorkingPoint> points = model.workingPoints().loosestFirst();
        double[] alphas = points.stream().mapToDouble(WorkingPoint::alpha).toArray();
        double[] thresholds = points.stream().mapToDouble(p -> model.table().global().threshold(p.alpha())).toArray();
        this.tally = new EvaluationTally(cells.cellsAt(0), alphas, thresholds);
        this.features = new float[extractor.featureNames().size()];
        this.batch = new float[BATCH * features.length];
        this.batchCells = new int[BATCH];
        this.batchLabels = new String[BATCH];
        this.batchScores = new double[BATCH];
        this.pValues = new double[points.size()];
    }

    /** Scores one event. */
    public void add(CollisionEvent event) {
        read++;
        RunConditions conditions = event.getConditions();
        int cell = conditions == null ? -1 : cells.finestCellOf(conditions);
        if (cell < 0) {
            tally.reject(VALIDATE);
            return;
        }
        try {
            extractor.extract(event, features);
        } catch (InvalidEventException e) {
            tally.reject(VALIDATE);
            return;
        }
        System.arraycopy(features, 0, batch, pending * features.length, features.length);
        batchCells[pending] = cell;
        batchLabels[pending] = background.test(event.getTruth()) ? null : event.getTruth();
        if (++pending == BATCH) {
            flush();
        }
    }

    private void flush() {
        scorer.scoreBatch(batch, pending, batchScores);
        for (int i = 0; i < pending; i++) {
            double score = batchScores[i];
            if (Double.isNaN(score)) {
                tally.reject(SCORE);
                continue;
            }
            boolean randomized = mode == PValueMode.RANDOMIZED;
            model.table().pValues(batchCells[i], score, randomized ? random.nextDouble() : 0, randomized, pValues);
            tally.add(batchCells[i], batchLabels[i], score, pValues);
        }
        pending = 0;
    }

    /** Events given to {@link #add} so far. */
    public long eventsRead() {
        return read;
    }

    /**
     * The report of every event added so far.
     *
     * @param input   where the events came from, for the report
     * @param seconds wall-clock time the evaluation took
     */
    public EvaluationReport report(EvaluationReport.Input input, double seconds) {
        flush();
        return ReportAssembler.assemble(model, mode, tally,
                read, input, seconds);
    }
}
