package org.oddity.score.gaussian;

/**
 * One multivariate normal N(mu, Sigma) with full or diagonal covariance, holding the precision
 * matrix and normalising constant so that -log density needs no allocation.
 */
final class Gaussian {

    private static final double LOG_TWO_PI = Math.log(2.0 * Math.PI);

    private final int d;
    private final boolean diagonal;
    private final double[] mean;
    /** d x d row-major if full, d variances if diagonal; kept for storage. */
    private final double[] covariance;
    /**
     * Inverse of {@link #covariance}: d values if diagonal; if full, its upper triangle packed row
     * by row with off-diagonal entries doubled, so the quadratic form reads half the matrix once.
     */
    private final double[] precision;
    /** 0.5 (d log 2 pi + log det Sigma). */
    private final double logNormaliser;

    private Gaussian(double[] mean, double[] covariance, boolean diagonal) {
        this.d = mean.length;
        if (d == 0) {
            throw new IllegalArgumentException("a Gaussian needs at least one feature");
        }
        int expected = diagonal ? d : d * d;
        if (covariance.length != expected) {
            throw new IllegalArgumentException("covariance has " + covariance.length + " values, expected " + expected);
        }
        requireFinite(mean, "mean");
        requireFinite(covariance, "covariance");
        this.diagonal = diagonal;
        this.mean = mean.clone();
        this.covariance = covariance.clone();
        double logDet;
        if (diagonal) {
            precision = new double[d];
            logDet = 0.0;
            for (int i = 0; i < d; i++) {
                if (!(covariance[i] > 0.0)) {
                    throw new IllegalArgumentException("variance " + i + " is not positive: " + covariance[i]);
                }
                precision[i] = 1.0 / covariance[i];
                logDet += Math.log(covariance[i]);
            }
        } else {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    if (covariance[i * d + j] != covariance[j * d + i]) {
                        throw new IllegalArgumentException("covariance is not symmetric at (" + i + ", " + j + ")");
                    }
                }
            }
            double[] l = Cholesky.factor(covariance, d);
            precision = packUpper(Cholesky.inverse(l, d), d);
            logDet = Cholesky.logDeterminant(l, d);
        }
        this.logNormaliser = 0.5 * (d * LOG_TWO_PI + logDet);
        if (!Double.isFinite(logNormaliser)) {
            throw new IllegalArgumentException("covariance determinant is not finite");
        }
    }

    private static double[] packUpper(double[] p, int d) {
        double[] packed = new double[d * (d + 1) / 2];
        int at = 0;
        for (int i = 0; i < d; i++) {
            packed[at++] = p[i * d + i];
            for (int j = i + 1; j < d; j++) {
                packed[at++] = 2.0 * p[i * d + j];
            }
        }
        return packed;
    }

    /** N(mean, covariance) with a full row-major d x d covariance. */
    static Gaussian full(double[] mean, double[] covariance) {
        return new Gaussian(mean, covariance, false);
    }

    /** N(mean, diag(variances)). */
    static Gaussian diagonal(double[] mean, double[] variances) {
        return new Gaussian(mean, variances, true);
    }

    /** Ridge added to every variance: relative to the mean variance, with a floor for all-constant data. */
    static double ridge(double trace, int d) {
        return 1e-6 * trace / d + 1e-12;
    }

    private static void requireFinite(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + values[i]);
            }
        }
    }

    /** -log N(x; mu, Sigma) for the d values of {@code x} starting at {@code offset}. */
    double negLogDensity(float[] x, int offset) {
        double q = 0.0;
        if (diagonal) {
            for (int i = 0; i < d; i++) {
                double di = x[offset + i] - mean[i];
                q += di * di * precision[i];
            }
        } else {
            // Symmetry halves the work: q = sum_i di (P_ii di + sum_{j>i} 2 P_ij dj).
            int at = 0;
            for (int i = 0; i < d; i++) {
                double di = x[offset + i] - mean[i];
                double row = precision[at++] * di;
                for (int j = i + 1; j < d; j++) {
                    row += precision[at++] * (x[offset + j] - mean[j]);
                }
                q += di * row;
            }
        }
        return 0.5 * q + logNormaliser;
    }

    int dimension() {
        return d;
    }

    boolean isDiagonal() {
        return diagonal;
    }

    double[] mean() {
        return mean.clone();
    }

    double[] covariance() {
        return covariance.clone();
    }
}
