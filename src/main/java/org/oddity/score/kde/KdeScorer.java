package org.oddity.score.kde;

import org.oddity.score.Scorer;

/**
 * Gaussian kernel density score s(x) = -log f(x), f(x) = (1/m) sum_j N(x; x_j, h^2 diag(sigma^2))
 * over m reference points x_j.
 *
 * <p>Implementation note: the product-Gaussian kernel on standardized features with one
 * bandwidth h (Silverman, "Density Estimation for Statistics and Data Analysis", 1986, section
 * 4.2). Features whose training standard deviation is 0 carry weight 0 and do not count in the
 * dimension k. The per-feature factors 1/(2 h^2 sigma_i^2) are folded into weights so scoring
 * needs no standardized copy of x. The log-sum-exp keeps a running maximum, rescaling the sum
 * when it grows (checked once per block of four points), so a point far from every reference
 * still gets a finite score in one pass without allocating.
 */
public final class KdeScorer implements Scorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "kde";

    private static final double LOG_TWO_PI = Math.log(2.0 * Math.PI);

    private final double bandwidth;
    /** One training standard deviation per feature: its length is the feature count. */
    private final double[] sigma;
    /** Reference points in original units, row-major [m][features]. */
    private final double[] points;
    private final int pointCount;
    /** Features with sigma > 0, the only ones in the distance. */
    private final int[] active;
    /** 1 / (2 h^2 sigma_i^2) per active feature. */
    private final double[] weight;
    /** Reference points restricted to the active features, row-major [m][active]. */
    private final double[] activePoints;
    /** log m + k log h + (k/2) log 2 pi + sum log sigma_i: the kernel's normalisation in log form. */
    private final double logNormalisation;

    KdeScorer(int features, double bandwidth, double[] sigma, double[] points) {
        if (features <= 0 || sigma.length != features || points.length == 0 || points.length % features != 0) {
            throw new IllegalArgumentException("inconsistent KDE dimensions: " + features + " features, "
                    + sigma.length + " standard deviations, " + points.length + " point values");
        }
        if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
            throw new IllegalArgumentException("bandwidth must be finite and positive: " + bandwidth);
        }
        for (int i = 0; i < features; i++) {
            if (!(sigma[i] >= 0) || !Double.isFinite(sigma[i])) {
                throw new IllegalArgumentException("standard deviation " + i + " is not a finite value >= 0: "
                        + sigma[i]);
            }
        }
        for (int i = 0; i < points.length; i++) {
            if (!Double.isFinite(points[i])) {
                throw new IllegalArgumentException("reference point " + i / features + " feature " + i % features
                        + " is not finite");
            }
        }
        this.bandwidth = bandwidth;
        this.sigma = sigma.clone();
        this.points = points.clone();
        this.pointCount = points.length / features;
        int k = 0;
        for (double s : sigma) {
            if (s > 0) {
                k++;
            }
        }
        this.active = new int[k];
        this.weight = new double[k];
        double logSigma = 0.0;
        for (int i = 0, a = 0; i < features; i++) {
            if (sigma[i] > 0) {
                active[a] = i;
                weight[a++] = 1.0 / (2.0 * bandwidth * bandwidth * sigma[i] * sigma[i]);
                logSigma += Math.log(sigma[i]);
            }
        }
        this.activePoints = new double[pointCount * k];
        for (int j = 0; j < pointCount; j++) {
            for (int a = 0; a < k; a++) {
                activePoints[j * k + a] = points[j * features + active[a]];
            }
        }
        this.logNormalisation = Math.log(pointCount) + k * Math.log(bandwidth) + 0.5 * k * LOG_TWO_PI + logSigma;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return sigma.length;
    }

    @Override
    public double score(float[] x) {
        final int k = active.length;
        final double[] p = activePoints;
        // -MAX_VALUE rather than -infinity, so a point whose every exponent overflows to -infinity
        // leaves sum at 0 (score +infinity) instead of computing exp(-inf + inf) = NaN.
        double max = -Double.MAX_VALUE;
        double sum = 0.0;
        int j = 0;
        // Four reference points at a time: four independent sums hide the addition latency, and
        // each x value and weight is loaded once for the four.
        for (int off = 0; j + 4 <= pointCount; j += 4, off += 4 * k) {
            double d0 = 0.0;
            double d1 = 0.0;
            double d2 = 0.0;
            double d3 = 0.0;
            for (int a = 0; a < k; a++) {
                double xa = x[active[a]];
                double w = weight[a];
                double e0 = xa - p[off + a];
                double e1 = xa - p[off + k + a];
                double e2 = xa - p[off + 2 * k + a];
                double e3 = xa - p[off + 3 * k + a];
                d0 += w * e0 * e0;
                d1 += w * e1 * e1;
                d2 += w * e2 * e2;
                d3 += w * e3 * e3;
            }
            double nearest = Math.min(Math.min(d0, d1), Math.min(d2, d3));
            if (-nearest > max) {
                sum *= Math.exp(max + nearest);
                max = -nearest;
            }
            sum += Math.exp(-d0 - max) + Math.exp(-d1 - max) + Math.exp(-d2 - max) + Math.exp(-d3 - max);
        }
        for (int off = j * k; j < pointCount; j++, off += k) {
            double d = 0.0;
            for (int a = 0; a < k; a++) {
                double e = x[active[a]] - p[off + a];
                d += weight[a] * e * e;
            }
            if (-d > max) {
                sum *= Math.exp(max + d);
                max = -d;
            }
            sum += Math.exp(-d - max);
        }
        return logNormalisation - (max + Math.log(sum));
    }

    /** The bandwidth h, in units of each feature's standard deviation. */
    public double bandwidth() {
        return bandwidth;
    }

    /** Number of reference points m. */
    public int pointCount() {
        return pointCount;
    }

    double[] sigma() {
        return sigma.clone();
    }

    double[] points() {
        return points.clone();
    }
}
