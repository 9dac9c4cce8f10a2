package org.oddity.monitor;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-square tests on histograms, with adjacent bins pooled until each group expects
 * at least {@link #MIN_EXPECTED} events, so that the chi-square null distribution holds.
 *
 * <p>Implementation note: the grouping must not look at how the rows differ. For uniformity it
 * depends on the bin probabilities alone. For homogeneity it depends on the column totals
 * o_b + r_b, given which the null distribution of the 2 x G table is free of the unknown bin
 * probabilities (multivariate hypergeometric), so the pooled test stays valid; pooling on the
 * reference row alone would merge just the bins where the reference fell short by chance, and
 * make the test conservative when the reference is small. Five expected events per group is
 * Cochran's rule ("Some methods for strengthening the common chi-square tests", Biometrics 10,
 * 1954). The
 * upper tail P(chi2_df > x) = Q(df/2, x/2) is the regularized upper incomplete gamma function,
 * accurate where 1 - CDF would round to 0.
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

    /**
     * Homogeneity of the window's histogram {@code observed[from, from + length)} and the
     * reference's {@code reference[from, from + length)}: the 2 x G contingency table test on G - 1
     * degrees of freedom, chi2 = sum_g (N o_g - n r_g)^2 / (n N (o_g + r_g)) for window and
     * reference totals n and N (Press et al., Numerical Recipes, 2nd ed., 14.3, unequal totals).
     * Unlike a fit to the reference's frequencies taken as exact, it allows for the reference's own
     * noise: a fit would reject too often by a factor of about 1 + n / N. Groups need
     * {@link #MIN_EXPECTED} expected events in both rows under the null: min(n, N) (o_g + r_g) / (n + N).
     */
    public static Result homogeneity(long[] observed, long[] reference, int from, int length) {
        long n = 0;
        long total = 0;
        for (int i = from; i < from + length; i++) {
            n += observed[i];
            total += reference[i];
        }
        if (n == 0 || total == 0) {
            return Result.UNTESTED;
        }
        double scale = (double) Math.min(n, total) / (n + total);
        int[] ends = groupEnds(length, i -> scale * (observed[from + i] + reference[from + i]));
        if (ends.length < 2) {
            return Result.UNTESTED;
        }
        Worst worst = new Worst();
        int start = 0;
        for (int end : ends) {
            long o = 0;
            long r = 0;
            for (int i = start; i < end; i++) {
                o += observed[from + i];
                r += reference[from + i];
            }
            double d = (double) total * o - (double) n * r;
            double term = d * d / ((double) n * total * (o + r));
            worst.offer(term, start, end - 1, o, (double) n * r / total);
            start = end;
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
    private static int[] groupEnds(int bins, IntToDoubleFunction expected) {
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
    private static final class Worst {
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
