package org.oddity.monitor;

import java.util.List;

/**
 * Likelihood-ratio (G) test of homogeneity of a window's histograms and the reference's, stratum
 * by stratum, with adjacent bins pooled by {@link BinPooling}.
 *
 * <p>Implementation note: per stratum, the window's n events and the reference's m fall into k
 * groups of bins, and G_s = 2 sum O ln(O / E) over the 2 x k table, E = row total x column total /
 * (n + m), is -2 log of the likelihood ratio of one set of group probabilities for both rows
 * against one set each, which tends to chi2(k - 1) under the null (S. S. Wilks, "The large-sample
 * distribution of the likelihood ratio for testing composite hypotheses", Ann. Math. Stat. 9,
 * 1938). Each cell adds 2 (O ln(O / E) - (O - E)), never negative, the same sum since O and E share
 * each row's total; this is what the worst group is judged by.
 *
 * <p>Why G rather than Pearson's X^2: the window's ~500 tests are corrected by Benjamini-Hochberg,
 * so each is judged near p = 1e-6, where Cochran's five expected events per group, a rule for 5 %
 * tests, no longer make X^2 chi-square. A Poisson count of mean 5 observed at 15 has Pearson
 * z = 10 / sqrt(5) = 4.47, a normal tail of 3.9e-6, while the exact P(X >= 15) is 2.3e-4: a rare
 * group's excess is taken for a 60 times rarer one, which raised false FEATURE_SHIFT alerts on rare
 * zero-padded features. The signed root of the deviance, sqrt(2 (15 ln 3 - 10)) = 3.6, has a tail
 * of 1.6e-4, within a factor 1.5 of the exact one. Near the 5 % level X^2 is usually the closer to
 * chi-square and G slightly anti-conservative (A. Agresti, Categorical Data Analysis, Wiley); that
 * excess is what Williams' correction removes (D. A. Williams, "Improved likelihood ratio tests for
 * complete contingency tables", Biometrika 63, 1976): G_s / q_s with q_s = 1 +
 * (N sum_i 1 / R_i - 1)(N sum_j 1 / C_j - 1) / (6 N (r - 1)(c - 1)), R_i and C_j the row and column
 * totals, N = n + m, r = 2 rows and c = k columns, so N sum_i 1 / R_i - 1 = N / n + N / m - 1. On
 * histograms of 3,000 window and 20,000 reference events, 99 % of them in one bin and 1 % in eight
 * more, 2 million null trials rejected 1.2, 1.0 and 0.75 times the nominal rate at levels 1e-3,
 * 1e-4 and 1e-5 by G / q, 1.5, 1.3 and 1.0 times by G, and 1.8, 3.1 and 5.5 times by X^2.
 *
 * <p>Groups pool adjacent bins per stratum on min(n, m) (o + r) / (n + m), the smaller row's
 * expected count, which depends on the column totals alone: given them, the table's null
 * distribution is free of the unknown bin probabilities (multivariate hypergeometric), so the
 * pooled test stays valid, where pooling on the reference row would merge just the bins in which
 * the reference fell short by chance.
 *
 * <p>Strata: G = sum_s G_s / q_s on sum_s (k_s - 1) degrees of freedom, a test of homogeneity in
 * every stratum, rather than one of the deviations summed over strata before squaring (in the
 * manner of Mantel and Haenszel, "Statistical aspects of the analysis of data from retrospective
 * studies of disease", J. Natl. Cancer Inst. 22, 1959). The strata are independent, so each G_s
 * keeps its own chi2(k_s - 1) limit and their sum its chi2 limit, whatever the strata's shapes and
 * mixes of window and reference, where the summed deviations' limit was only bounded by chi-square,
 * and tightly only when the strata shared a shape. The price is degrees of freedom for a shift
 * common to all strata; with the one or two strata a window spans they grow by at most the second
 * stratum's.
 */
public final class LikelihoodRatioTest {

    private LikelihoodRatioTest() {
    }

    /**
     * Homogeneity of the window and the reference within strata: stratum s compares the window's
     * {@code observed.get(s)[from, from + length)}, n_s events, with the reference's
     * {@code reference.get(s)[from, from + length)}, m_s events; a stratum with n_s = 0 or m_s = 0
     * carries no information and is skipped. The statistic is G = sum_s G_s / q_s, each stratum's
     * statistic over its Williams factor, on sum_s (k_s - 1) degrees of freedom, k_s groups in
     * stratum s; a stratum of one group adds nothing, and none with two leaves the histogram
     * untested. The worst group is the (stratum, group) adding most to G, reported with its bins
     * numbered within the slice, the window's count and the n_s r / m_s events the reference's
     * count r expects.
     */
    public static HistogramTestResult stratifiedHomogeneity(List<long[]> observed, List<long[]> reference, int from,
            int length) {
        if (observed.size() != reference.size()) {
            throw new IllegalArgumentException(
                    observed.size() + " window strata against " + reference.size() + " reference strata");
        }
        HistogramTestResult.Sum sum = new HistogramTestResult.Sum();
        int degreesOfFreedom = 0;
        for (int s = 0; s < observed.size(); s++) {
            degreesOfFreedom += addStratum(observed.get(s), reference.get(s), from, length, sum);
        }
        return degreesOfFreedom == 0 ? HistogramTestResult.UNTESTED : sum.result(degreesOfFreedom);
    }

    /** Offers one stratum's groups to {@code sum} and returns their degrees of freedom, 0 when it is not tested. */
    private static int addStratum(long[] observed, long[] reference, int from, int length,
            HistogramTestResult.Sum sum) {
        long n = 0;
        long m = 0;
        for (int i = from; i < from + length; i++) {
            n += observed[i];
            m += reference[i];
        }
        if (n == 0 || m == 0) {
            return 0;
        }
        double total = (double) n + m;
        double poolingWeight = Math.min(n, m) / total;
        int[] ends = BinPooling.groupEnds(length,
                i -> poolingWeight * (observed[from + i] + reference[from + i]));
        if (ends.length < 2) {
            return 0;
        }
        long[] o = new long[ends.length];
        long[] r = new long[ends.length];
        double inverseColumns = 0.0;
        int start = 0;
        for (int g = 0; g < ends.length; g++) {
            for (int i = from + start; i < from + ends[g]; i++) {
                o[g] += observed[i];
                r[g] += reference[i];
            }
            inverseColumns += 1.0 / (o[g] + r[g]);
            start = ends[g];
        }
        double q = 1.0 + (total / n + total / m - 1.0) * (total * inverseColumns - 1.0)
                / (6.0 * total * (ends.length - 1));
        start = 0;
        for (int g = 0; g < ends.length; g++) {
            double column = o[g] + r[g];
            double term = deviance(o[g], n * column / total) + deviance(r[g], m * column / total);
            sum.offer(term / q, start, ends[g] - 1, o[g], (double) n * r[g] / m);
            start = ends[g];
        }
        return ends.length - 1;
    }

    /** 2 (O ln(O / E) - (O - E)), 2 E for O = 0: a cell's share of G, never negative. */
    private static double deviance(long observed, double expected) {
        if (observed == 0) {
            return 2.0 * expected;
        }
        return 2.0 * (observed * Math.log(observed / expected) - (observed - expected));
    }
}
