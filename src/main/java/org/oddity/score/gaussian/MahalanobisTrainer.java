package org.oddity.score.gaussian;

import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/** Fits a {@link MahalanobisScorer}: sample mean and maximum-likelihood covariance plus a small ridge. */
public final class MahalanobisTrainer implements ScorerTrainer {

    @Override
    public MahalanobisScorer train(FeatureMatrix data) {
        int n = data.rowsToTrain("mahalanobis");
        int d = data.columns();
        float[] row = new float[d];
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            data.copyRow(r, row);
            for (int i = 0; i < d; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= n;
        }
        // Two passes (mean, then centred products) avoid the cancellation of sum x^2 - n mu^2.
        double[] covariance = new double[d * d];
        double[] centred = new double[d];
        for (int r = 0; r < n; r++) {
            data.copyRow(r, row);
            for (int i = 0; i < d; i++) {
                centred[i] = row[i] - mean[i];
            }
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                for (int j = 0; j <= i; j++) {
                    covariance[i * d + j] += ci * centred[j];
                }
            }
        }
        regularise(covariance, d, n);
        return new MahalanobisScorer(mean, covariance);
    }

    /** Divides the lower-triangle sums by {@code weight}, mirrors them and adds the ridge. */
    static void regularise(double[] covariance, int d, double weight) {
        double trace = 0.0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                covariance[i * d + j] /= weight;
                covariance[j * d + i] = covariance[i * d + j];
            }
            trace += covariance[i * d + i];
        }
        double ridge = Gaussian.ridge(trace, d);
        for (int i = 0; i < d; i++) {
            covariance[i * d + i] += ridge;
        }
    }
}
