package org.oddity.monitor;

import java.util.Arrays;

/**
 * Exact conditional one-sided test that a window's flag rate exceeds the reference's within
 * strata: stratum s has x_s flagged of the window's n_s events and f_s flagged of the
 * reference's m_s events.
 *
 * <p>Implementation note: under the null that window and reference share each stratum's flag
 * probability, X_s given t_s = x_s + f_s is hypergeometric, t_s flagged among n_s + m_s events of
 * which n_s are drawn, free of the unknown probability (Fisher's exact test, R. A. Fisher, The
 * Design of Experiments, 1935). The p-value is P(S >= sum_s x_s) for S = sum_s X_s with the X_s
 * independent, the exact conditional form of the stratified test of Mantel and Haenszel
 * ("Statistical aspects of the analysis of data from retrospective studies of disease", J. Natl.
 * Cancer Inst. 22, 1959); the mid-p variant counts half the observed point (Lancaster,
 * "Significance tests in discrete distributions", J. Am. Stat. Assoc. 56, 1961). Each stratum's
 * pmf comes from the ratio P(k + 1) / P(k) = (n - k)(t - k) / ((k + 1)(m - t + k + 1)), walked
 * outward from the mode set to 1, so no value overflows and each carries a relative error of
 * about its distance from the mode times the machine epsilon, whatever the size of n + m, where
 * differences of log-gamma functions lose about eps (n + m) log(n + m). Values below
 * {@link Double#MIN_NORMAL} times the mode's are dropped, which changes no p-value above about
 * 1e-300 and bounds the work by the spread of each stratum's pmf rather than its support. The pmf of S is their convolution, and its upper tail
 * is summed directly, smallest terms first, so p-values near 1e-12 keep their relative accuracy
 * where 1 - CDF would cancel.
 */
public final class StratifiedFlagTest {

    /** Most flagged events, window and reference together, a stratum may hold. */
    static final long MAX_FLAGGED = 10_000_000L;

    private StratifiedFlagTest() {
    }

    /** P(S >= sum_s x_s) for S the sum of independent hypergeometric X_s, each given its stratum's totals. */
    public static double upperTail(long[] x, long[] n, long[] f, long[] m) {
        SumDistribution sum = SumDistribution.of(x, n, f, m);
        return clamp(sum.above() + sum.atObserved());
    }

    /** The mid-p value P(S > s) + P(S = s) / 2 for s = sum_s x_s, S as in {@link #upperTail}. */
    public static double upperMidP(long[] x, long[] n, long[] f, long[] m) {
        SumDistribution sum = SumDistribution.of(x, n, f, m);
        return clamp(sum.above() + sum.atObserved() / 2);
    }

    private static double clamp(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    /** The pmf of S over start, start + 1, ..., and the observed sum. */
    private record SumDistribution(double[] pmf, long start, long observed) {

        static SumDistribution of(long[] x, long[] n, long[] f, long[] m) {
            if (x.length != n.length || f.length != n.length || m.length != n.length) {
                throw new IllegalArgumentException("x, n, f and m need one entry per stratum, got lengths " + x.length
                        + ", " + n.length + ", " + f.length + ", " + m.length);
            }
            double[] pmf = {1.0};
            long start = 0;
            long observed = 0;
            for (int s = 0; s < n.length; s++) {
                if (x[s] < 0 || f[s] < 0 || x[s] > n[s] || f[s] > m[s]) {
                    throw new IllegalArgumentException("stratum " + s + " needs 0 <= x <= n and 0 <= f <= m, got x = "
                            + x[s] + ", n = " + n[s] + ", f = " + f[s] + ", m = " + m[s]);
                }
                if (x[s] + f[s] > MAX_FLAGGED) {
                    throw new IllegalArgumentException("stratum " + s + " holds " + (x[s] + f[s])
                            + " flagged events, more than " + MAX_FLAGGED);
                }
                if (n[s] == 0) {
                    continue;
                }
                Hypergeometric h = Hypergeometric.of(n[s], m[s], x[s] + f[s]);
                pmf = convolve(pmf, h.pmf());
                start += h.start();
                observed += x[s];
            }
            return new SumDistribution(pmf, start, observed);
        }

        /** P(S > observed), summed from the top. */
        double above() {
            double sum = 0.0;
            long first = Math.max(0, observed - start + 1);
            for (long i = pmf.length - 1; i >= first; i--) {
                sum += pmf[(int) i];
            }
            return sum;
        }

        /** P(S = observed); 0 where the point fell among the dropped tails. */
        double atObserved() {
            long i = observed - start;
            return i >= 0 && i < pmf.length ? pmf[(int) i] : 0.0;
        }

        private static double[] convolve(double[] a, double[] b) {
            double[] c = new double[a.length + b.length - 1];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < b.length; j++) {
                    c[i + j] += a[i] * b[j];
                }
            }
            return c;
        }
    }

    /** A hypergeometric pmf, normalized, over start, start + 1, ... */
    private record Hypergeometric(double[] pmf, long start) {

        /** X: t flagged among n + m events, n drawn. */
        static Hypergeometric of(long n, long m, long t) {
            long lo = Math.max(0, t - m);
            long hi = Math.min(t, n);
            // The mode of the hypergeometric is floor((t + 1)(n + 1) / (n + m + 2)).
            long mode = Math.max(lo, Math.min(hi, (long) Math.floor((t + 1.0) * (n + 1.0) / (n + m + 2.0))));
            double[] down = new double[16];
            int below = 0;
            double p = 1.0;
            for (long k = mode; k > lo; k--) {
                p *= (double) k * (m - t + k) / ((double) (n - k + 1) * (t - k + 1));
                if (p < Double.MIN_NORMAL) {
                    break;
                }
                down = store(down, below++, p);
            }
            double[] up = new double[16];
            int above = 0;
            p = 1.0;
            for (long k = mode; k < hi; k++) {
                p *= (double) (n - k) * (t - k) / ((double) (k + 1) * (m - t + k + 1));
                if (p < Double.MIN_NORMAL) {
                    break;
                }
                up = store(up, above++, p);
            }
            double[] pmf = new double[below + 1 + above];
            for (int i = 0; i < below; i++) {
                pmf[below - 1 - i] = down[i];
            }
            pmf[below] = 1.0;
            System.arraycopy(up, 0, pmf, below + 1, above);
            double total = 0.0;
            for (double v : pmf) {
                total += v;
            }
            for (int i = 0; i < pmf.length; i++) {
                pmf[i] /= total;
            }
            return new Hypergeometric(pmf, mode - below);
        }

        private static double[] store(double[] values, int index, double value) {
            double[] grown = index < values.length ? values : Arrays.copyOf(values, 2 * values.length);
            grown[index] = value;
            return grown;
        }
    }
}
