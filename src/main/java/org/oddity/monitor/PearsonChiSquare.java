package org.oddity.monitor;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-square test of uniformity on histograms, with adjacent bins pooled until each
 * group expects at least {@link #MIN_EXPECTED} events, so that the chi-square null distribution
 * holds; its pooling and chi-square tail also serve {@link LikelihoodRatioTest}.
 *
 * <p>Implementation note: the grouping must not look at how the observed counts differ from
 * what is expected: for uniformity it depends on the bin probabilities alone. Five expected
 * events per group is Cochran's rule ("Some methods for strengthening the common chi-square
 * tests", Biometrics 10, 1954), a rule for tests near the 5 % level. The upper tail
 * P(chi2_df > x) = Q(df/2, x/2) is the regularized upper incomplete gamma function, accurate
 * where 1 - CDF would round to 0.
 */
public final class PearsonChiSquare {

    /** Fewest expected events a group of bins may hold. */
    public static final double MIN_EXPECTED = 5.0;

    private PearsonChiSquare() {
    }

    /**
     * One test's outcome. {@code worstFirst..worstLast} are the bins of the group that adds most to
     * the statistic, with its observed and expected count; an untested histogram (fewer than two
     * groups) has 0 degrees of freedom and NaN elsewhere.
     */
    public record Result(double statistic, int degreesOfFreedom, double pValue, int worstFirst, int worstLast,
            double worstObserved, double worstExpected) {

        static final Result UNTESTED = new Result(Double.NaN, 0, Double.NaN, -1, -1, Double.NaN, Double.NaN);

        /** Whether the histogram held enough events for a test. */
        public boolean tested() {
            return degreesOfFreedom > 0;
        }
    }

    /**
     * Goodness of fit of {@code counts} to equal probabilities: p-values binned on [0, 1] against
     * uniformity, with sum (O - E)^2 / E on G - 1 degrees of freedom over G groups.
     */
    public static Result uniformity(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double perBin = (double) n / counts.length;
        int[] ends = groupEnds(counts.length, i -> perBin);
        if (ends.length < 2) {
            return Result.UNTESTED;
        }
        Worst worst = new Worst();
        int from = 0;
        for (int end : ends) {
            long observed = 0;
            for (int i = from; i < end; i++) {
                observed += counts[i];
            }
            double expected = perBin * (end - from);
            double term = (observed - expected) * (observed - expected) / expected;
            worst.offer(term, from, end - 1, observed, expected);
            from = end;
        }
        return worst.result(ends.length - 1);
    }

    /** P(chi2_df > statistic). */
    static double upperTail(double statistic, int degreesOfFreedom) {
        if (!(statistic > 0.0)) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    /** Exclusive ends of consecutive groups of bins, each expecting at least MIN_EXPECTED; a short remainder joins the last group. */
    static int[] groupEnds(int bins, IntToDoubleFunction expected) {
        int[] ends = new int[bins];
        int groups = 0;
        double sum = 0.0;
        for (int i = 0; i < bins; i++) {
            sum += expected.applyAsDouble(i);
            if (sum >= MIN_EXPECTED) {
                ends[groups++] = i + 1;
                sum = 0.0;
            }
        }
        if (groups > 0) {
            ends[groups - 1] = bins;
        }
        return Arrays.copyOf(ends, groups);
    }

    /** Running sum of the statistic and the group that adds most to it. */
    static final class Worst {
        private double statistic;
        private double term = -1.0;
        private int first;
        private int last;
        private double observed;
        private double expected;

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

        Result result(int degreesOfFreedom) {
            return new Result(statistic, degreesOfFreedom, upperTail(statistic, degreesOfFreedom), first, last, observed,
                    expected);
        }
    }
}
