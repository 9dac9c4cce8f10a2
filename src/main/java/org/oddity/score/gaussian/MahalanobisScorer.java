package org.oddity.score.gaussian;

import org.oddity.score.Scorer;

/**
 * Score s(x) = -log p0(x) under one multivariate Gaussian fitted to the background: half the
 * squared Mahalanobis distance plus the log normalising constant.
 *
 * <p>Implementation note: the quadratic form (x - mu)^T Sigma^-1 (x - mu) uses the precision
 * matrix precomputed through a Cholesky factorisation, so scoring is about d^2 / 2
 * multiply-adds with no scratch space and no allocation.
 */
public final class MahalanobisScorer implements Scorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "mahalanobis";

    private final Gaussian gaussian;

    MahalanobisScorer(double[] mean, double[] covariance) {
        this(Gaussian.full(mean, covariance));
    }

    MahalanobisScorer(Gaussian gaussian) {
        this.gaussian = gaussian;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return gaussian.dimension();
    }

    @Override
    public double score(float[] features) {
        return gaussian.negLogDensity(features, 0);
    }

    double[] mean() {
        return gaussian.mean();
    }

    /** Covariance including the ridge, row-major. */
    double[] covariance() {
        return gaussian.covariance();
    }
}
