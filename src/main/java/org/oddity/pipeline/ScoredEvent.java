package org.oddity.pipeline;

import org.oddity.avro.FailureStage;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.ResolvedCell;

/**
 * What {@link EventScorer} made of one event, in scratch the caller owns and reuses: the finest
 * cell, the features, the score, a p-value per working point and the working points passed,
 * the top feature contributions when the event is flagged; or the stage and reason it could
 * not be scored for. Its arrays are sized once per model layout, so scoring an event into it
 * allocates nothing.
 */
public final class ScoredEvent {

    private ScoringModel model;
    private int cell;
    private float[] features = new float[0];
    private double score;
    private double[] pValues = new double[0];
    private int passedMask;
    private int tightest;
    private boolean flaggedByGlobalThreshold;
    private double[] contributions = new double[0];
    private int[] topIndices = new int[0];
    private double[] topValues = new double[0];
    private int topCount;
    private FailureStage failedStage;
    private String failure;

    /** Sizes the arrays for {@code featureCount} features and {@code workingPoints} working points, and clears the outcome. */
    void reset(ScoringModel model, int featureCount, int workingPoints, int topFeatures) {
        this.model = model;
        if (features.length != featureCount) {
            features = new float[featureCount];
            contributions = new double[featureCount];
        }
        if (pValues.length != workingPoints) {
            pValues = new double[workingPoints];
        }
        int top = Math.min(topFeatures, featureCount);
        if (topIndices.length != top) {
            topIndices = new int[top];
            topValues = new double[top];
        }
        cell = -1;
        score = Double.NaN;
        passedMask = 0;
        tightest = -1;
        flaggedByGlobalThreshold = false;
        topCount = 0;
        failedStage = null;
        failure = null;
    }

    /** Records why the event cannot be scored; returns false for the caller to pass on. */
    boolean fail(FailureStage stage, String reason) {
        failedStage = stage;
        failure = reason;
        return false;
    }

    void placed(int finestCell) {
        this.cell = finestCell;
    }

    void scored(double value, int passed, int tightestPassed, boolean byGlobalThreshold) {
        this.score = value;
        this.passedMask = passed;
        this.tightest = tightestPassed;
        this.flaggedByGlobalThreshold = byGlobalThreshold;
    }

    void topFeatures(int count) {
        this.topCount = count;
    }

    double[] contributionScratch() {
        return contributions;
    }

    int[] topIndexScratch() {
        return topIndices;
    }

    double[] topValueScratch() {
        return topValues;
    }

    /** Whether the event was scored; if not, {@link #failedStage} and {@link #failure} say why. */
    public boolean ok() {
        return failedStage == null;
    }

    /**
     * The model that scored the event (or tried to): its version goes on every output. Null when
     * scored without calibration ({@link EventScorer#uncalibrated}).
     */
    public ScoringModel model() {
        return model;
    }

    /** Finest cell of the event's run conditions, or -1 if it has none. */
    public int cell() {
        return cell;
    }

    /** The features the scorer saw: extracted and preprocessed. */
    public float[] features() {
        return features;
    }

    public double score() {
        return score;
    }

    /** Conformal p-value at each working point, loosest first; empty when scoring without calibration. */
    public double[] pValues() {
        return pValues;
    }

    /** Bit k set if the event passed working point k (loosest is 0). */
    public int passedMask() {
        return passedMask;
    }

    /** Index of the tightest working point passed, or -1 if none: the event is flagged when it is not -1. */
    public int tightest() {
        return tightest;
    }

    public boolean flagged() {
        return tightest >= 0;
    }

    /** Whether one global threshold at the loosest working point would have flagged the event. */
    public boolean flaggedByGlobalThreshold() {
        return flaggedByGlobalThreshold;
    }

    /**
     * Where the event's calibration came from at working point {@code workingPoint}: cell used,
     * level, source and size. Only for an event scored with calibration.
     */
    public ResolvedCell calibration(int workingPoint) {
        return model.table().cellFor(cell, workingPoint);
    }

    /** Number of top feature contributions: 0 unless the event is flagged and the scorer splits its score. */
    public int topFeatureCount() {
        return topCount;
    }

    /** Feature index of the {@code rank}-th largest contribution (0 is the largest). */
    public int topFeatureIndex(int rank) {
        return topIndices[rank];
    }

    /** The {@code rank}-th largest contribution. */
    public double topFeatureValue(int rank) {
        return topValues[rank];
    }

    /** Stage at which the event could not be scored, or null. */
    public FailureStage failedStage() {
        return failedStage;
    }

    /** Why the event could not be scored, or null. */
    public String failure() {
        return failure;
    }
}
