package org.oddity.calibrate;

import java.util.Arrays;

/**
 * The calibration scores of one cell, sorted, and the conformal p-values they define.
 *
 * <p>Implementation note: split (inductive) conformal p-values, Vovk, Gammerman and Shafer,
 * "Algorithmic Learning in a Random World" (2005), and Papadopoulos et al. (2002):
 * p(x) = (1 + #{s_i >= s(x)}) / (1 + n). If the event is exchangeable with the n calibration
 * events then P(p <= alpha) <= alpha for every alpha in finite samples. The randomized
 * variant (#{s_i > s} + U (#{s_i = s} + 1)) / (1 + n), U uniform on [0, 1), is exactly
 * uniform. Both are one binary search on the sorted array.
 */
public final class CalibrationSet {

    private final double[] sorted;

    private CalibrationSet(double[] sorted) {
        this.sorted = sorted;
    }

    /** A set holding a sorted copy of {@code scores}; NaN scores are rejected. */
    public static CalibrationSet of(double[] scores) {
        double[] copy = scores.clone();
        for (double s : copy) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("calibration scores must not be NaN");
            }
        }
        Arrays.sort(copy);
        return new CalibrationSet(copy);
    }

    /** Number of calibration scores n. */
    public int size() {
        return sorted.length;
    }

    /** Smallest p-value this set can give, 1 / (n + 1). */
    public double minimumPValue() {
        return 1.0 / (sorted.length + 1.0);
    }

    /** Conservative conformal p-value of {@code score}: ties count against the event. */
    public double pValue(double score) {
        int atLeast = sorted.length - lowerBound(score);
        return (1.0 + atLeast) / (1.0 + sorted.length);
    }

    /**
     * Randomized conformal p-value of {@code score}, exactly uniform under exchangeability.
     *
     * @param uniform a draw from U[0, 1), supplied by the caller so that runs can repeat
     */
    public double randomizedPValue(double score, double uniform) {
        int firstAtLeast = lowerBound(score);
        int firstAbove = upperBound(score, firstAtLeast);
        int above = sorted.length - firstAbove;
        int ties = firstAbove - firstAtLeast;
        return (above + uniform * (ties + 1.0)) / (1.0 + sorted.length);
    }

    /**
     * Score threshold equivalent to the conservative p-value at {@code alpha}: for every score s,
     * {@code pValue(s) <= alpha} exactly when {@code s > threshold}. It is +infinity when alpha is
     * below the smallest reachable p-value.
     */
    public double threshold(double alpha) {
        int n = sorted.length;
        // Largest k with (1 + k) / (1 + n) <= alpha, computed with the same arithmetic as pValue.
        long k = (long) Math.floor(alpha * (n + 1.0)) - 1;
        while (k >= 0 && (1.0 + k) / (1.0 + n) > alpha) {
            k--;
        }
        while (k + 1 <= n && (2.0 + k) / (1.0 + n) <= alpha) {
            k++;
        }
        if (k < 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (k >= n) {
            return Double.NEGATIVE_INFINITY;
        }
        return sorted[(int) (n - k - 1)];
    }

    /** A copy of the sorted scores. */
    public double[] sortedScores() {
        return sorted.clone();
    }

    /** Merges sets into one, e.g. to build a coarser cell from its finer cells. */
    public static CalibrationSet union(Iterable<CalibrationSet> sets) {
        int total = 0;
        for (CalibrationSet s : sets) {
            total += s.sorted.length;
        }
        double[] all = new double[total];
        int at = 0;
        for (CalibrationSet s : sets) {
            System.arraycopy(s.sorted, 0, all, at, s.sorted.length);
            at += s.sorted.length;
        }
        Arrays.sort(all);
        return new CalibrationSet(all);
    }

    /** First index whose score is >= {@code score}. */
    private int lowerBound(double score) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index at or after {@code from} whose score is > {@code score}. */
    private int upperBound(double score, int from) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
