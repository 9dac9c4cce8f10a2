package org.oddity.monitor;

import org.apache.commons.math3.special.Beta;

/**
 * Exact one-sided binomial test against an excess: the probability, at rate r, of at least x
 * successes in n trials.
 *
 * <p>Implementation note: P(X >= x) = I_r(x, n - x + 1) for 1 <= x <= n, the regularized
 * incomplete beta function (Abramowitz and Stegun, Handbook of Mathematical Functions, 26.5.24),
 * evaluated by Commons Math's continued fraction. That keeps its relative accuracy deep in the
 * tail, where 1 - CDF would round to 0, and works for any n, not only int.
 */
public final class BinomialTest {

    private BinomialTest() {
    }

    /** P(X >= successes) for X ~ Binomial(trials, rate); 1 for no successes, 0 for more successes than trials. */
    public static double upperTail(long successes, long trials, double rate) {
        if (successes <= 0) {
            return 1.0;
        }
        if (successes > trials || !(rate > 0.0)) {
            return 0.0;
        }
        if (rate >= 1.0) {
            return 1.0;
        }
        return Beta.regularizedBeta(rate, successes, trials - successes + 1.0);
    }

    /**
     * The mid-p value P(X > x) + P(X = x) / 2 (Lancaster, "Significance tests in discrete
     * distributions", JASA 56, 1961): for a discrete statistic it has mean 1/2 under the null like
     * a uniform p-value, so its normal score centres a CUSUM where P(X >= x) would bias it low.
     */
    public static double upperMidP(long successes, long trials, double rate) {
        return 0.5 * (upperTail(successes, trials, rate) + upperTail(successes + 1, trials, rate));
    }
}
