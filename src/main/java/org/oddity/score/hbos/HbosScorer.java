package org.oddity.score.hbos;

import org.oddity.score.Scorer;

/**
 * Histogram-based outlier score: s(x) = -sum_i log h_i(x_i), with h_i the density of feature i
 * in the training sample.
 *
 * <p>Implementation note: HBOS as in Goldstein and Dengel, "Histogram-based Outlier Score
 * (HBOS): A fast Unsupervised Anomaly Detection Algorithm" (KI-2012), with equal-width bins.
 * The per-bin terms -log h are precomputed, so scoring is one bin lookup and one addition per
 * feature. Each feature has an underflow and an overflow bin; values outside the training
 * range land there and get the pseudo-count density, so the score stays finite.
 */
public final class HbosScorer implements Scorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "hbos";

    private final float[] lo;
    private final float[] inverseWidth;
    private final int bins;
    /** Row-major [feature][bins + 2]: index 0 is underflow, bins + 1 overflow. */
    private final double[] negLogDensity;

    HbosScorer(float[] lo, float[] inverseWidth, int bins, double[] negLogDensity) {
        if (lo.length != inverseWidth.length || negLogDensity.length != lo.length * (bins + 2)) {
            throw new IllegalArgumentException("inconsistent HBOS parameter arrays");
        }
        for (double v : negLogDensity) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("HBOS density table holds a non-finite value");
            }
        }
        this.lo = lo.clone();
        this.inverseWidth = inverseWidth.clone();
        this.bins = bins;
        this.negLogDensity = negLogDensity.clone();
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return lo.length;
    }

    @Override
    public double score(float[] features) {
        final int stride = bins + 2;
        double sum = 0.0;
        for (int i = 0, row = 0; i < lo.length; i++, row += stride) {
            sum += negLogDensity[row + binOf(lo[i], inverseWidth[i], bins, features[i])];
        }
        return sum;
    }

    @Override
    public boolean explainsFeatures() {
        return true;
    }

    /** Each feature's -log density term: the score is their sum. */
    @Override
    public void contributions(float[] features, double[] out) {
        for (int i = 0; i < lo.length; i++) {
            out[i] = contribution(i, features[i]);
        }
    }

    /** The -log density term of feature {@code i} at value {@code x}: its share of the score. */
    public double contribution(int i, float x) {
        return negLogDensity[i * (bins + 2) + binOf(lo[i], inverseWidth[i], bins, x)];
    }

    /** Histogram slot of {@code x}: 0 underflow, 1..bins the equal-width bins, bins + 1 overflow (and NaN). */
    static int binOf(float lo, float inverseWidth, int bins, float x) {
        float position = (x - lo) * inverseWidth;
        if (position < 0f) {
            return 0;
        }
        return position < bins ? 1 + (int) position : bins + 1;
    }

    int bins() {
        return bins;
    }

    float[] lo() {
        return lo.clone();
    }

    float[] inverseWidth() {
        return inverseWidth.clone();
    }

    double[] negLogDensity() {
        return negLogDensity.clone();
    }
}
