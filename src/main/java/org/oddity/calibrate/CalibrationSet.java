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
 *
 * <p>Implementation note: an array of n doubles (8 MB at n = 10^6) does not fit in cache, and a
 * plain binary search misses it at most of its ~20 steps. An equal-width bucket index over
 * [min, max] (about one bucket per eight scores, a few hundred KB) narrows each search to one
 * bucket's scores first. The bucket of a value is monotone in the value, so every score in an
 * earlier bucket is smaller and every score in a later bucket larger: the result is exact.
 */
public final class CalibrationSet implements ConformalCalibration {

    private static final int SCORES_PER_BUCKET = 8;
    private static final int MAX_BUCKETS = 1 << 22;

    private final double[] sorted;
    /** Start of each bucket in {@link #sorted}, plus n at the end; one bucket when there is no finite range. */
    private final int[] bucketStart;
    private final double lo;
    private final double scale;

    private CalibrationSet(double[] sorted) {
        this.sorted = sorted;
        int n = sorted.length;
        double min = n == 0 ? 0 : sorted[0];
        double max = n == 0 ? 0 : sorted[n - 1];
        int buckets = Math.min(MAX_BUCKETS, Math.max(1, n / SCORES_PER_BUCKET));
        double s = buckets / (max - min);
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min) || !Double.isFinite(s)) {
            buckets = 1;
            s = 0;
        }
        this.lo = min;
        this.scale = s;
        this.bucketStart = new int[buckets + 1];
        int i = 0;
        for (int b = 0; b < buckets; b++) {
            while (i < n && bucketOf(sorted[i]) < b) {
                i++;
            }
            bucketStart[b] = i;
        }
        bucketStart[buckets] = n;
    }

    /** Bucket of {@code x}: non-decreasing in x, clamped to the index. */
    private int bucketOf(double x) {
        double position = (x - lo) * scale;
        int last = bucketStart.length - 2;
        if (!(position > 0)) {
            return 0;
        }
        return position >= last ? last : (int) position;
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
    @Override
    public int size() {
        return sorted.length;
    }

    /** Smallest p-value this set can give, 1 / (n + 1). */
    @Override
    public double minimumPValue() {
        return 1.0 / (sorted.length + 1.0);
    }

    /** Conservative conformal p-value of {@code score}: ties count against the event. */
    @Override
    public double pValue(double score) {
        int atLeast = sorted.length - lowerBound(score);
        return (1.0 + atLeast) / (1.0 + sorted.length);
    }

    /**
     * Leave-one-out conservative p-value of {@code member}, one of this set's own scores, against
     * the other n - 1: (1 + #{s_j >= s} - 1) / n, the count including the member. Distributed as a
     * new exchangeable event's p-value against n - 1 scores, where the member's p-value against a
     * set holding it would be one rank too small. 1 for a set of one.
     */
    public double leaveOneOutPValue(double member) {
        int n = sorted.length;
        return n <= 1 ? 1.0 : (double) (n - lowerBound(member)) / n;
    }

    /** Leave-one-out randomized p-value of {@code member}: (#{s_j > s} + U (#{s_j = s} - 1 + 1)) / n; U for a set of one. */
    public double randomizedLeaveOneOutPValue(double member, double uniform) {
        int n = sorted.length;
        if (n <= 1) {
            return uniform;
        }
        int firstAtLeast = lowerBound(member);
        int firstAbove = upperBound(member, firstAtLeast);
        return ((n - firstAbove) + uniform * (firstAbove - firstAtLeast)) / n;
    }

    /**
     * Randomized conformal p-value of {@code score}, exactly uniform under exchangeability.
     *
     * @param uniform a draw from U[0, 1), supplied by the caller so that runs can repeat
     */
    @Override
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
    @Override
    public double threshold(double alpha) {
        int n = sorted.length;
        long k = mostAtOrAbove(alpha, n);
        if (k < 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (k >= n) {
            return Double.NEGATIVE_INFINITY;
        }
        return sorted[(int) (n - k - 1)];
    }

    /**
     * The largest count k of n calibration scores at or above an event's for which the
     * conservative p-value (1 + k) / (1 + n) is at most {@code alpha}, computed with the same
     * arithmetic as the p-value so that the two agree exactly; -1 if there is none.
     */
    static long mostAtOrAbove(double alpha, int n) {
        long k = (long) Math.floor(alpha * (n + 1.0)) - 1;
        while (k >= 0 && (1.0 + k) / (1.0 + n) > alpha) {
            k--;
        }
        while (k + 1 <= n && (2.0 + k) / (1.0 + n) <= alpha) {
            k++;
        }
        return k;
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
        if (Double.isNaN(score)) {
            return 0;
        }
        int bucket = bucketOf(score);
        return Ranks.firstAtLeast(sorted, bucketStart[bucket], bucketStart[bucket + 1], score);
    }

    /** First index at or after {@code from} whose score is > {@code score}. */
    private int upperBound(double score, int from) {
        int to = Double.isNaN(score) ? sorted.length : Math.max(from, bucketStart[bucketOf(score) + 1]);
        return Ranks.firstAbove(sorted, from, to, score);
    }
}
