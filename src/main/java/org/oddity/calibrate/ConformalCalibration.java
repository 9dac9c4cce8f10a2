package org.oddity.calibrate;

/**
 * The calibration scores of one cell, as the scoring path uses them: conformal p-values and the
 * equivalent score thresholds. Held either exactly ({@link CalibrationSet}) or in bounded memory
 * as a relative-error quantile sketch ({@link SketchCalibration}).
 */
public interface ConformalCalibration {

    /** Number of calibration scores n. */
    int size();

    /** Smallest p-value this calibration can give, 1 / (n + 1). */
    double minimumPValue();

    /** Conservative conformal p-value of {@code score}: ties count against the event. */
    double pValue(double score);

    /** Randomized conformal p-value of {@code score}, ties broken by {@code uniform} from U[0, 1). */
    double randomizedPValue(double score, double uniform);

    /** Scores above this have a conservative p-value at most {@code alpha}. */
    double threshold(double alpha);
}
