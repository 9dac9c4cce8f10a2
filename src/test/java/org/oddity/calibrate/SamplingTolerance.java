package org.oddity.calibrate;

import java.util.Arrays;

/**
 * Acceptance bounds for statistical tests of p-values, derived from exact or asymptotic
 * sampling distributions instead of hand-picked numbers.
 *
 * <p>Binomial bounds: a count of T independent events of probability q is Binomial(T, q). The
 * upper bound at tail mass {@code eps} is the smallest k with P(X > k) <= eps, and the lower bound
 * the largest k with P(X < k) <= eps, both computed by summing the binomial pmf in log space
 * (log C(T, k) from a table of log-factorials, tails added with log-sum-exp), so a correct
 * implementation falls outside [lower, upper] with probability at most 2 eps.
 *
 * <p>Kolmogorov-Smirnov bound: for T independent U(0, 1) draws, sqrt(T) D_T converges to the
 * Kolmogorov distribution, whose survival function is Q(x) = 2 sum_{k>=1} (-1)^(k-1)
 * exp(-2 k^2 x^2). The critical value at level {@code eps} solves Q(x) = eps by bisection. For
 * finite T the statistic is stochastically smaller than its limit, so the bound is conservative.
 */
public final class SamplingTolerance {

    private SamplingTolerance() {
    }

    /** Smallest k with P(X > k) <= eps for X ~ Binomial(trials, q). */
    public static int binomialUpper(int trials, double q, double eps) {
        double[] logPmf = binomialLogPmf(trials, q);
        double logEps = Math.log(eps);
        // Walk down from the top, accumulating the upper tail P(X >= k) in log space.
        double logTail = Double.NEGATIVE_INFINITY;
        for (int k = trials; k >= 0; k--) {
            double withK = logSumExp(logTail, logPmf[k]);
            if (withK > logEps) {
                // P(X >= k) > eps but P(X > k) = P(X >= k + 1) <= eps.
                return k;
            }
            logTail = withK;
        }
        return 0;
    }

    /** Largest k with P(X < k) <= eps for X ~ Binomial(trials, q). */
    public static int binomialLower(int trials, double q, double eps) {
        double[] logPmf = binomialLogPmf(trials, q);
        double logEps = Math.log(eps);
        double logTail = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= trials; k++) {
            double withK = logSumExp(logTail, logPmf[k]);
            if (withK > logEps) {
                // P(X <= k) > eps but P(X < k) <= eps.
                return k;
            }
            logTail = withK;
        }
        return trials;
    }

    /** log P(X = k), k = 0..trials, for X ~ Binomial(trials, q), 0 < q < 1. */
    static double[] binomialLogPmf(int trials, double q) {
        if (!(q > 0.0 && q < 1.0) || trials < 1) {
            throw new IllegalArgumentException("need trials >= 1 and 0 < q < 1: " + trials + ", " + q);
        }
        double[] logFactorial = new double[trials + 1];
        for (int i = 2; i <= trials; i++) {
            logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        }
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double[] logPmf = new double[trials + 1];
        for (int k = 0; k <= trials; k++) {
            logPmf[k] = logFactorial[trials] - logFactorial[k] - logFactorial[trials - k] + k * logQ
                    + (trials - k) * log1mQ;
        }
        return logPmf;
    }

    private static double logSumExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }

    /** Kolmogorov survival function Q(x) = P(K > x) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2). */
    static double kolmogorovSurvival(double x) {
        if (x <= 0.0) {
            return 1.0;
        }
        double sum = 0.0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1) ? term : -term;
            if (term < 1e-300) {
                break;
            }
        }
        return Math.min(1.0, Math.max(0.0, 2.0 * sum));
    }

    /** The x with Q(x) = eps: reject uniformity at level eps when sqrt(T) D exceeds it. */
    static double kolmogorovCritical(double eps) {
        // The series converges badly near 0, but Q(0.3) is 1 to 1e-9, far above any level used here.
        double lo = 0.3;
        double hi = 10.0;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (kolmogorovSurvival(mid) > eps) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** One-sample Kolmogorov-Smirnov statistic D = sup |F_T(x) - x| of {@code values} against U(0, 1). */
    static double ksAgainstUniform(double[] values) {
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
}
