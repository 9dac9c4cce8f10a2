package org.oddity.pipeline;

import java.util.List;
import java.util.SplittableRandom;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.avro.RunConditions;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.event.EventLayoutException;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.score.Scorer;

/**
 * The one place an event is scored: its finest cell from its run conditions, its features
 * (extracted and preprocessed as the bundle says), the model's score, and the conformal
 * p-value at every working point against the cell's calibration after fallback, with the
 * working points it passes and, when flagged, its top feature contributions. The scoring
 * processor, {@code evaluate}, calibration (training's, {@code calibrate}'s and online), the
 * monitor's reference and the benchmarks all score through it, so they agree by construction.
 *
 * <p>Calibrated, it reads its model from a {@link ModelSource} once per event (or once per
 * batch), so a hot swap falls between two events. Without calibration it places, extracts
 * and scores only: that is how calibration sets are collected.
 *
 * <p>One instance per thread: it keeps the model's extractor and batch buffers. Scoring one
 * event allocates nothing; the outcome goes into the caller's {@link ScoredEvent}. Randomized
 * p-values draw one uniform per scored event, in event order, from the given stream.
 */
public final class EventScorer {

    /** Most events {@link #scoreAll} scores in one {@link Scorer#scoreBatch} call. */
    public static final int BATCH = 256;

    private final ModelSource source;
    private final boolean randomized;
    private final SplittableRandom random;
    private final int topFeatures;

    private ScoringModel model;
    private String version;
    private Scorer scorer;
    private FeatureExtractor extractor;
    private CellScheme cells;
    private CalibrationTable table;
    private WorkingPoints points;
    private double globalThreshold;
    private boolean explains;
    private float[] rows;
    private final double[] batchScores = new double[BATCH];

    private EventScorer(ModelSource source, PValueMode mode, SplittableRandom random, int topFeatures) {
        this.source = source;
        this.randomized = mode == PValueMode.RANDOMIZED;
        this.random = random;
        this.topFeatures = topFeatures;
    }

    /**
     * Scores and calibrates with the model {@code source} runs at each event.
     *
     * @param random      the stream randomized p-values draw from (unused for conservative ones)
     * @param topFeatures how many feature contributions a flagged event reports (0 for none)
     */
    public static EventScorer calibrated(ModelSource source, PValueMode mode, SplittableRandom random,
            int topFeatures) {
        EventScorer scorer = new EventScorer(source, mode, random, topFeatures);
        scorer.adopt(source.current());
        return scorer;
    }

    /**
     * Places, extracts and scores with {@code scorer} on the features of {@code extractor}; no p-values.
     *
     * @param version the model's version, as dead letters name it
     */
    public static EventScorer uncalibrated(String version, Scorer scorer, FeatureExtractor extractor,
            CellScheme cells) {
        EventScorer uncalibrated = new EventScorer(null, PValueMode.CONSERVATIVE, null, 0);
        uncalibrated.version = version;
        uncalibrated.scorer = scorer;
        uncalibrated.extractor = extractor;
        uncalibrated.cells = cells;
        uncalibrated.rows = new float[BATCH * extractor.featureNames().size()];
        return uncalibrated;
    }

    private void adopt(ScoringModel next) {
        model = next;
        version = next.bundle().version();
        scorer = next.bundle().scorer();
        extractor = next.bundle().newExtractor();
        cells = next.cells();
        table = next.table();
        points = next.workingPoints();
        globalThreshold = next.globalThreshold();
        explains = topFeatures > 0 && scorer.explainsFeatures();
        int featureCount = extractor.featureNames().size();
        if (rows == null || rows.length != BATCH * featureCount) {
            rows = new float[BATCH * featureCount];
        }
    }

    /** Reads the running model; a new one is taken up from this event on. */
    private void follow() {
        if (source != null) {
            ScoringModel current = source.current();
            if (current != model) {
                adopt(current);
            }
        }
    }

    /**
     * Scores {@code event} into {@code out}.
     *
     * @return true if it was scored; false if it cannot be, and then {@code out} says at which stage and why
     */
    public boolean score(CollisionEvent event, ScoredEvent out) {
        follow();
        if (!placeAndExtract(event, out)) {
            return false;
        }
        return calibrate(out, scorer.score(out.features()));
    }

    /**
     * Scores {@code events[0..count)} into {@code out[0..count)}, as {@link #score} would one by
     * one but with one {@link Scorer#scoreBatch} call per {@value #BATCH} events, which saves a
     * family with a fixed cost per call (ONNX Runtime's session run) that cost on every event.
     */
    public void scoreAll(CollisionEvent[] events, int count, ScoredEvent[] out) {
        follow();
        int width = extractor.featureNames().size();
        for (int start = 0; start < count; start += BATCH) {
            int end = Math.min(count, start + BATCH);
            int rowCount = 0;
            for (int i = start; i < end; i++) {
                if (placeAndExtract(events[i], out[i])) {
                    System.arraycopy(out[i].features(), 0, rows, rowCount++ * width, width);
                }
            }
            if (rowCount > 0) {
                scorer.scoreBatch(rows, rowCount, batchScores);
            }
            int row = 0;
            for (int i = start; i < end; i++) {
                if (out[i].ok()) {
                    calibrate(out[i], batchScores[row++]);
                }
            }
        }
    }

    /** Feature names of the model scoring now, in the order of {@link ScoredEvent#features()}. */
    public List<String> featureNames() {
        return extractor.featureNames();
    }

    private boolean placeAndExtract(CollisionEvent event, ScoredEvent out) {
        out.reset(model, extractor.featureNames().size(), points == null ? 0 : points.size(),
                explains ? topFeatures : 0);
        RunConditions conditions = event.getConditions();
        if (conditions == null) {
            return out.fail(FailureStage.VALIDATE, "event has no run conditions");
        }
        int cell = cells.finestCellOf(conditions);
        if (cell < 0) {
            return out.fail(FailureStage.VALIDATE, "run conditions lack a valid " + cells.missingField(conditions));
        }
        out.placed(cell);
        try {
            extractor.extract(event, out.features());
        } catch (EventLayoutException e) {
            return out.fail(FailureStage.EXTRACT, e.getMessage());
        } catch (InvalidEventException e) {
            return out.fail(FailureStage.VALIDATE, e.getMessage());
        }
        return true;
    }

    private boolean calibrate(ScoredEvent out, double score) {
        if (Double.isNaN(score)) {
            return out.fail(FailureStage.SCORE, "model " + version + " gave a NaN score");
        }
        if (Double.isInfinite(score)) {
            // Every finite score of every family is below infinity: an infinite one is a numerical failure.
            return out.fail(FailureStage.SCORE, "model " + version + " gave an infinite score (" + score + ")");
        }
        if (table == null) {
            out.scored(score, 0, -1, false);
            return true;
        }
        double[] pValues = out.pValues();
        table.pValues(out.cell(), score, randomized ? random.nextDouble() : 0, randomized, pValues);
        int passed = 0;
        int tightest = -1;
        for (int k = 0; k < pValues.length; k++) {
            if (pValues[k] <= points.alpha(k)) {
                passed |= 1 << k;
                tightest = k;
            }
        }
        out.scored(score, passed, tightest, score > globalThreshold);
        if (tightest >= 0 && explains) {
            rankContributions(out);
        }
        return true;
    }

    /** Fills {@code out}'s top contributions, largest first. */
    private void rankContributions(ScoredEvent out) {
        double[] contributions = out.contributionScratch();
        scorer.contributions(out.features(), contributions);
        int[] indices = out.topIndexScratch();
        double[] values = out.topValueScratch();
        // k is small: k passes over the features cost less than sorting them.
        for (int n = 0; n < indices.length; n++) {
            int best = -1;
            for (int i = 0; i < contributions.length; i++) {
                if (!taken(indices, n, i) && (best < 0 || contributions[i] > contributions[best])) {
                    best = i;
                }
            }
            indices[n] = best;
            values[n] = contributions[best];
        }
        out.topFeatures(indices.length);
    }

    private static boolean taken(int[] indices, int count, int feature) {
        for (int n = 0; n < count; n++) {
            if (indices[n] == feature) {
                return true;
            }
        }
        return false;
    }
}
