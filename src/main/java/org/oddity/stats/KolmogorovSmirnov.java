package org.oddity.stats;

import java.util.Arrays;

/**
 * The Kolmogorov-Smirnov test of a sample against U(0, 1): the statistic, the Kolmogorov distribution and
 * the test's p-value.
 *
 * <p>Implementation note: the survival function of the Kolmogorov distribution is
 * Q(x) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2), which converges fast for x >= 1; below that the
 * equivalent theta-function form 1 - sqrt(2 pi) / x sum_{k>=1} exp(-(2k - 1)^2 pi^2 / (8 x^2)) does
 * (W. Feller, Ann. Math. Stat. 19, 177 (1948); Numerical Recipes, 3rd ed., section 6.14). The p-value of a
 * statistic D over an effective sample size n is Q((sqrt(n) + 0.12 + 0.11 / sqrt(n)) D), the finite-sample
 * correction of M. A. Stephens, J. R. Stat. Soc. B 32, 115 (1970), good to a few percent from n = 5 on.
 */
public final class KolmogorovSmirnov {

    private static final int MAX_TERMS = 100;

    private KolmogorovSmirnov() {
    }

    /** D = sup |F_n(x) - x| of {@code values} against U(0, 1); values outside [0, 1] are clamped into it. */
    public static double statisticAgainstUniform(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the Kolmogorov-Smirnov statistic needs at least one value");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double d = 0.0;
        for (int i = 0; i < n; i++) {
            double x = Math.min(1.0, Math.max(0.0, sorted[i]));
            d = Math.max(d, Math.max((i + 1.0) / n - x, x - (double) i / n));
        }
        return d;
    }

    /** Q(x) = P(K > x) for K Kolmogorov-distributed: the limit of P(sqrt(n) D_n > x). */
    public static double kolmogorovSurvival(double x) {
        if (!(x > 0.0)) {
            return 1.0;
        }
        if (x < 1.0) {
            double sum = 0.0;
            double scale = -Math.PI * Math.PI / (8.0 * x * x);
            for (int k = 1; k <= MAX_TERMS; k++) {
                double term = Math.exp((2.0 * k - 1.0) * (2.0 * k - 1.0) * scale);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return clamp(1.0 - Math.sqrt(2.0 * Math.PI) / x * sum);
        }
        double sum = 0.0;
        for (int k = 1; k <= MAX_TERMS; k++) {
            double term = Math.exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1) ? term : -term;
            if (term < 1e-300 || term < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return clamp(2.0 * sum);
    }

    /** p-value of statistic {@code d} over {@code effectiveSize} values, with Stephens's correction. */
    public static double pValue(double d, double effectiveSize) {
        if (!(effectiveSize > 0.0)) {
            throw new IllegalArgumentException("effective sample size must be positive, got " + effectiveSize);
        }
        double root = Math.sqrt(effectiveSize);
        return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
    }

    /**
     * The effective size n m / (n + m) of a two-sample comparison, under which the two-sample statistic
     * follows the one-sample distribution (N. Smirnov, Ann. Math. Stat. 19, 279 (1948)).
     */
    public static double twoSampleEffectiveSize(long n, long m) {
        return (double) n * m / ((double) n + m);
    }

    private static double clamp(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }
}
