package org.oddity.monitor;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * How the histogram tests pool adjacent bins: into consecutive groups that each expect at least
 * {@link #MIN_EXPECTED} events, so that their statistics keep a chi-square null distribution.
 *
 * <p>Implementation note: the grouping must not look at how the observed counts differ from what
 * is expected, so callers pass expectations that depend on the bin probabilities (uniformity) or
 * on the column totals (homogeneity) alone. Five expected events per group is Cochran's rule
 * ("Some methods for strengthening the common chi-square tests", Biometrics 10, 1954), a rule for
 * tests near the 5 % level.
 */
final class BinPooling {

    /** Fewest expected events a group of bins may hold. */
    static final double MIN_EXPECTED = 5.0;

    private BinPooling() {
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
}
