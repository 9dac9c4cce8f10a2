package org.oddity.score.gaussian;

import org.oddity.score.Scorer;

/**
 * Score s(x) = -log sum_k w_k N(x; mu_k, Sigma_k) under a Gaussian mixture fitted to the
 * background.
 *
 * <p>Implementation note: the sum is evaluated as a streaming log-sum-exp (running maximum and
 * rescaled sum), so points far from every component keep a finite score and scoring needs no
 * per-component scratch array.
 */
public final class GaussianMixture implements Scorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "gmm";

    private final double[] weights;
    /** log w_k, precomputed for scoring; the weights themselves are kept for exact storage. */
    private final double[] logWeights;
    private final Gaussian[] components;

    GaussianMixture(double[] weights, Gaussian[] components) {
        if (weights.length == 0 || weights.length != components.length) {
            throw new IllegalArgumentException(weights.length + " weights for " + components.length + " components");
        }
        double sum = 0.0;
        for (int k = 0; k < weights.length; k++) {
            if (!(weights[k] > 0.0) || !Double.isFinite(weights[k])) {
                throw new IllegalArgumentException("weight " + k + " is not positive: " + weights[k]);
            }
            if (components[k].dimension() != components[0].dimension()
                    || components[k].isDiagonal() != components[0].isDiagonal()) {
                throw new IllegalArgumentException("component " + k + " differs in dimension or covariance type");
            }
            sum += weights[k];
        }
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException("weights sum to " + sum + ", not 1");
        }
        this.weights = weights.clone();
        this.logWeights = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            logWeights[k] = Math.log(weights[k]);
        }
        this.components = components.clone();
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return components[0].dimension();
    }

    @Override
    public double score(float[] features) {
        return -logDensity(features, 0);
    }

    /** log sum_k w_k N(x; mu_k, Sigma_k) for the row of {@code x} starting at {@code offset}. */
    double logDensity(float[] x, int offset) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        for (int k = 0; k < components.length; k++) {
            double term = logWeights[k] - components[k].negLogDensity(x, offset);
            if (term <= max) {
                sum += Math.exp(term - max);
            } else {
                sum = sum * Math.exp(max - term) + 1.0;
                max = term;
            }
        }
        return max + Math.log(sum);
    }

    int componentCount() {
        return components.length;
    }

    boolean isDiagonal() {
        return components[0].isDiagonal();
    }

    double weight(int k) {
        return weights[k];
    }

    Gaussian component(int k) {
        return components[k];
    }
}
