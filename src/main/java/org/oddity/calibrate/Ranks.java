package org.oddity.calibrate;

/**
 * Where a value falls among ascending scores: binary searches over a range of a sorted
 * {@code double[]} for the first score at or above a value and the first above it, which bound
 * the value's ties. Shared by the conformal p-values and the ROC curves.
 */
public final class Ranks {

    private Ranks() {
    }

    /** First index in {@code [from, to)} of {@code sorted} whose score is >= {@code x}, or {@code to}; {@code from} for NaN. */
    public static int firstAtLeast(double[] sorted, int from, int to, double x) {
        return firstPast(sorted, from, to, x, false);
    }

    /** First index in {@code [from, to)} of {@code sorted} whose score is > {@code x}, or {@code to}; {@code from} for NaN. */
    public static int firstAbove(double[] sorted, int from, int to, double x) {
        return firstPast(sorted, from, to, x, true);
    }

    private static int firstPast(double[] sorted, int from, int to, double x, boolean pastTies) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x || (pastTies && sorted[mid] == x)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
