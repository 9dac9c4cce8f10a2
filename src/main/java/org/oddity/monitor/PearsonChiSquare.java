package org.oddity.monitor;

/**
 * Pearson's chi-square test of uniformity on histograms, with adjacent bins pooled by
 * {@link BinPooling} so that the chi-square null distribution holds. The monitor tests a
 * window's p-values with it where the reference has none to compare them with.
 */
public final class PearsonChiSquare {

    private PearsonChiSquare() {
    }

    /**
     * Goodness of fit of {@code counts} to equal probabilities: p-values binned on [0, 1] against
     * uniformity, with sum (O - E)^2 / E on G - 1 degrees of freedom over G groups.
     */
    public static HistogramTestResult uniformity(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double perBin = (double) n / counts.length;
        int[] ends = BinPooling.groupEnds(counts.length, i -> perBin);
        if (ends.length < 2) {
            return HistogramTestResult.UNTESTED;
        }
        HistogramTestResult.Sum sum = new HistogramTestResult.Sum();
        int from = 0;
        for (int end : ends) {
            long observed = 0;
            for (int i = from; i < end; i++) {
                observed += counts[i];
            }
            double expected = perBin * (end - from);
            double term = (observed - expected) * (observed - expected) / expected;
            sum.offer(term, from, end - 1, observed, expected);
            from = end;
        }
        return sum.result(ends.length - 1);
    }
}
