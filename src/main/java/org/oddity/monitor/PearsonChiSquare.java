package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * It is {@link #stratifiedHomogeneity} with one stratum, whose D_g^2 / V_g is this term.
     */
    public static Result homogeneity(long[] observed, long[] reference, int from, int length) {
        return stratifiedHomogeneity(List.of(observed), List.of(reference), from, length);
    }

    /**
     * Homogeneity of the window and the reference within strata: stratum s compares the window's
     * {@code observed.get(s)[from, from + length)}, n_s events, with the reference's
     * {@code reference.get(s)[from, from + length)}, m_s events; a stratum with n_s = 0 or m_s = 0
     * carries no information and is skipped. Per group g, D_g = sum_s (o_sg - n_s r_sg / m_s) and
     * V_g = sum_s (o_sg + r_sg) n_s / m_s, and X = sum_g D_g^2 / V_g on G - 1 degrees of freedom.
     * The worst group reports sum_s o_sg observed and sum_s n_s r_sg / m_s expected.
     *
     * <p>Implementation note: this is Pearson's homogeneity statistic with the differences summed
     * within strata before squaring, a stratified comparison in the manner of Cochran ("Some
     * methods for strengthening the common chi-square tests", Biometrics 10, 1954) and Mantel and
     * Haenszel ("Statistical aspects of the analysis of data from retrospective studies of
     * disease", J. Natl. Cancer Inst. 22, 1959). A window whose mix of strata differs from the
     * reference's is compared with the reference reweighted to its own mix, so a pileup shift
     * within a cell is not taken for a change of shape. Under the null that window and reference
     * share each stratum's bin probabilities pi_sg, E[D_g] = 0 and Var(D_g) is about
     * sum_s pi_sg n_s (n_s + m_s) / m_s, which V_g estimates with the pooled
     * pi_sg = (o_sg + r_sg) / (n_s + m_s). With one stratum D_g^2 / V_g = (m o - n r)^2 /
     * (n m (o + r)), the term of {@link #homogeneity}. With several, chi2(G - 1) is approximate:
     * D sums to 0 as in one stratum, but its covariance sum_s n_s (n_s + m_s) / m_s (diag(pi_s) -
     * pi_s pi_s^T) is not one multinomial's. It is at most the diagonal of the variances that V_g
     * estimates, so in the limit X is a weighted sum of G - 1 independent chi2(1) terms with weights
     * at most 1, no larger than chi2(G - 1) in distribution: the test can only be conservative
     * there, the more so the more the strata differ in shape. Groups
     * pool adjacent bins on sum_s min(n_s, m_s) (o_sg + r_sg) / (n_s + m_s), column totals only,
     * as for {@link #homogeneity}; each then holds a stratum with o_sg + r_sg > 0, so V_g > 0.
     */
    public static Result stratifiedHomogeneity(List<long[]> observed, List<long[]> reference, int from, int length) {
        if (observed.size() != reference.size()) {
            throw new IllegalArgumentException(
                    observed.size() + " window strata against " + reference.size() + " reference strata");
        }
        List<Stratum> strata = new ArrayList<>();
        for (int s = 0; s < observed.size(); s++) {
            Stratum stratum = Stratum.of(observed.get(s), reference.get(s), from, length);
            if (stratum.n() > 0 && stratum.m() > 0) {
                strata.add(stratum);
            }
        }
        if (strata.isEmpty()) {
            return Result.UNTESTED;
        }
        int[] ends = groupEnds(length, i -> {
            double expected = 0.0;
            for (Stratum stratum : strata) {
                expected += stratum.poolingWeight() * stratum.column(from + i);
            }
            return expected;
        });
        if (ends.length < 2) {
            return Result.UNTESTED;
        }
        Worst worst = new Worst();
        int start = 0;
        for (int end : ends) {
            double d = 0.0;
            double v = 0.0;
            double observedSum = 0.0;
            double expectedSum = 0.0;
            for (Stratum stratum : strata) {
                long o = 0;
                long r = 0;
                for (int i = from + start; i < from + end; i++) {
                    o += stratum.observed()[i];
                    r += stratum.reference()[i];
                }
                double expected = (double) stratum.n() * r / stratum.m();
                // (m o - n r) / m rather than o - expected: the numerator is exact below 2^53, so a
                // window that fits well keeps the relative accuracy of its small statistic.
                d += ((double) stratum.m() * o - (double) stratum.n() * r) / stratum.m();
                v += (double) (o + r) * stratum.n() / stratum.m();
                observedSum += o;
                expectedSum += expected;
            }
            worst.offer(d * d / v, start, end - 1, observedSum, expectedSum);
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

    /** One stratum's window and reference histograms with their totals over the tested range. */
    private record Stratum(long[] observed, long[] reference, long n, long m) {

        static Stratum of(long[] observed, long[] reference, int from, int length) {
            long n = 0;
            long m = 0;
            for (int i = from; i < from + length; i++) {
                n += observed[i];
                m += reference[i];
            }
            return new Stratum(observed, reference, n, m);
        }

        /** min(n, m) / (n + m): a bin's expected count in the smaller row per event in its column. */
        double poolingWeight() {
            return (double) Math.min(n, m) / (n + m);
        }

        long column(int bin) {
            return observed[bin] + reference[bin];
        }
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
