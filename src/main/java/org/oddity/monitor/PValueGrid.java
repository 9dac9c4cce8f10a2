package org.oddity.monitor;

import java.util.Arrays;

/**
 * The fixed p-value bins of a reference's p-value histograms: 1-2-3-5 steps per decade from
 * 1e-7 to 5e-3, then steps of 0.01 up to 1. Bin j holds (edge_(j-1), edge_j], bin 0 [0, edge_0],
 * so the count up to an edge is the number of p-values at most that edge: the flags at a working
 * point whose alpha is an edge. The usual alphas (1e-2, 1e-3, 1e-4, 5e-2, ...) and the edges of
 * every equal binning of [0, 1] into a divisor of 100 bins are edges.
 *
 * <p>Edges are the doubles that parsing their decimal form gives, so an alpha read from the
 * settings ("1e-3") is found exactly.
 */
public final class PValueGrid {

    private static final double[] EDGES = edges();

    private PValueGrid() {
    }

    private static double[] edges() {
        double[] out = new double[20 + 100];
        int i = 0;
        for (int exponent = 7; exponent >= 3; exponent--) {
            for (String mantissa : new String[] {"1", "2", "3", "5"}) {
                out[i++] = Double.parseDouble(mantissa + "e-" + exponent);
            }
        }
        for (int k = 1; k <= 100; k++) {
            out[i++] = k / 100.0;
        }
        return out;
    }

    /** Number of bins. */
    public static int bins() {
        return EDGES.length;
    }

    /** Upper edge of bin {@code bin}. */
    public static double edge(int bin) {
        return EDGES[bin];
    }

    /** Bin of p-value {@code p} in [0, 1]; a p above 1 falls in the last bin, NaN in none (-1). */
    public static int binOf(double p) {
        if (Double.isNaN(p)) {
            return -1;
        }
        int i = Arrays.binarySearch(EDGES, p);
        return i >= 0 ? i : Math.min(EDGES.length - 1, -i - 1);
    }

    /** Index of the edge equal to {@code alpha}, or -1 if it is not an edge. */
    public static int edgeIndex(double alpha) {
        int i = Arrays.binarySearch(EDGES, alpha);
        return i >= 0 ? i : -1;
    }

    /** Sum of {@code counts} (on this grid) of p-values at most edge {@code edgeIndex}. */
    public static long countUpTo(long[] counts, int edgeIndex) {
        long sum = 0;
        for (int j = 0; j <= edgeIndex; j++) {
            sum += counts[j];
        }
        return sum;
    }

    /**
     * {@code counts} regrouped into {@code bins} equal bins over [0, 1], or null if some inner
     * edge k / bins is not an edge of this grid. A p-value equal to an inner edge counts in the
     * bin below it here and in the bin above it in a window's histogram; conformal p-values sit
     * on the grid j / (n + 1), so that moves at most one grid point's mass, 1 / (n + 1), per edge.
     */
    public static long[] regroup(long[] counts, int bins) {
        long[] out = new long[bins];
        int from = 0;
        for (int k = 1; k <= bins; k++) {
            int to = k == bins ? EDGES.length - 1 : edgeIndex(k / (double) bins);
            if (to < 0) {
                return null;
            }
            for (int j = from; j <= to; j++) {
                out[k - 1] += counts[j];
            }
            from = to + 1;
        }
        return out;
    }
}
