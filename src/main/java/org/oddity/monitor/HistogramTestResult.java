package org.oddity.monitor;

import org.apache.commons.math3.special.Gamma;

/**
 * The outcome of a chi-square test of a histogram whose adjacent bins are pooled into groups
 * ({@link BinPooling}): Pearson's test of uniformity ({@link PearsonChiSquare}) or the
 * likelihood-ratio G-test of homogeneity with a reference ({@link LikelihoodRatioTest}). Both
 * statistics are a sum of one term per group, with a chi-square null.
 *
 * <p>{@code worstFirst..worstLast} are the bins of the group that adds most to the statistic,
 * with its observed and expected count; an untested histogram (fewer than two groups) has 0
 * degrees of freedom and NaN elsewhere.
 *
 * <p>Implementation note: the upper tail P(chi2_df > x) = Q(df/2, x/2) is the regularized upper
 * incomplete gamma function, accurate where 1 - CDF would round to 0.
 */
public record HistogramTestResult(double statistic, int degreesOfFreedom, double pValue, int worstFirst,
        int worstLast, double worstObserved, double worstExpected) {

    static final HistogramTestResult UNTESTED = new HistogramTestResult(Double.NaN, 0, Double.NaN, -1, -1, Double.NaN,
            Double.NaN);

    /** Whether the histogram held enough events for a test. */
    public boolean tested() {
        return degreesOfFreedom > 0;
    }

    /** P(chi2_df > statistic). */
    static double upperTail(double statistic, int degreesOfFreedom) {
        if (!(statistic > 0.0)) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    /** Running sum of a test's statistic over its groups, and the group that adds most to it. */
    static final class Sum {
        private double statistic;
        private double term = -1.0;
        private int first;
        private int last;
        private double observed;
        private double expected;

        /** Adds group {@code from..to}'s term {@code t}, with its observed count {@code o} and expected {@code e}. */
        void offer(double t, int from, int to, double o, double e) {
            statistic += t;
            if (t > term) {
                term = t;
                first = from;
                last = to;
                observed = o;
                expected = e;
            }
        }

        /** The result of the groups offered, on {@code degreesOfFreedom}. */
        HistogramTestResult result(int degreesOfFreedom) {
            return new HistogramTestResult(statistic, degreesOfFreedom, upperTail(statistic, degreesOfFreedom), first,
                    last, observed, expected);
        }
    }
}
