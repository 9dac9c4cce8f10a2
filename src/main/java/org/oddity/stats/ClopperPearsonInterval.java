package org.oddity.stats;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * An exact (Clopper-Pearson) central confidence interval for a binomial rate.
 *
 * <p>Implementation note: C. J. Clopper and E. S. Pearson, Biometrika 26, 404 (1934). For k successes in n
 * trials at confidence 1 - a, the bounds are the a/2 quantile of Beta(k, n - k + 1) and the 1 - a/2 quantile
 * of Beta(k + 1, n - k), with lower = 0 at k = 0 and upper = 1 at k = n. It covers the true rate with
 * probability at least 1 - a for every rate and n (it is conservative, never anti-conservative).
 *
 * @param lower lower bound of the rate
 * @param upper upper bound of the rate
 */
public record ClopperPearsonInterval(double lower, double upper) {

    /** Central 68.27% confidence: the plus-or-minus one standard deviation of a normal distribution. */
    public static final double ONE_SIGMA = 0.682689492137086;

    /** Absolute accuracy of the beta quantiles: far below the 1/n resolution of any rate measured here. */
    private static final double QUANTILE_ACCURACY = 1e-14;

    /**
     * The interval for {@code successes} of {@code trials} at {@code confidence}.
     *
     * @throws IllegalArgumentException if the counts or the confidence are out of range
     */
    public static ClopperPearsonInterval of(long successes, long trials, double confidence) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1, got " + successes
                    + " of " + trials);
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        double tail = (1.0 - confidence) / 2.0;
        double lower = successes == 0 ? 0.0
                : new BetaDistribution(null, successes, trials - successes + 1.0, QUANTILE_ACCURACY)
                        .inverseCumulativeProbability(tail);
        double upper = successes == trials ? 1.0
                : new BetaDistribution(null, successes + 1.0, trials - successes, QUANTILE_ACCURACY)
                        .inverseCumulativeProbability(1.0 - tail);
        return new ClopperPearsonInterval(lower, upper);
    }

    /** Whether {@code rate} lies in the interval. */
    public boolean contains(double rate) {
        return rate >= lower && rate <= upper;
    }
}
