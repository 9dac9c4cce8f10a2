package org.oddity.monitor;

/** Bin-by-bin sums of histograms of counts, as partials merge, strata add up and references combine. */
final class Counts {

    private Counts() {
    }

    /** Adds {@code from} to {@code into}, bin by bin, over the length of {@code into}. */
    static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    /** A new histogram, {@code a} plus {@code b} bin by bin, of the length of {@code a}. */
    static long[] sum(long[] a, long[] b) {
        long[] out = a.clone();
        add(out, b);
        return out;
    }
}
