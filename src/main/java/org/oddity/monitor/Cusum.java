package org.oddity.monitor;

import org.apache.commons.math3.special.Erf;

/**
 * Page's one-sided upper CUSUM over standard normal scores, one per window: it signals small
 * shifts that persist over many windows, each too small for a single window's test.
 *
 * <p>Implementation note: Page, "Continuous inspection schemes", Biometrika 41 (1954):
 * S_t = max(0, S_(t-1) + z_t - k), signalling while S_t > h. The reference value k is half the
 * shift, in standard deviations, that it is tuned to detect fastest. The scores are normal
 * scores of each window's upper-tail p-value, z = Phi^-1(1 - p) ({@link #score}), so that every
 * test feeds the chart on the same N(0, 1) scale when nothing has changed. The sum is capped at
 * 2h so that after a long shift it falls back below h within h/k windows once the shift ends;
 * the cap lies above h, so it does not change when the chart first signals.
 *
 * <p>Run lengths for k = 0.5 (Brook and Evans, Biometrika 59, 1972, Markov chain; checked by
 * simulation in CusumTest): h = 5 gives an in-control average run length of 931 windows and
 * signals a 1-sigma shift after 10.4 on average; the default h = 12 gives about 1.04e6 windows
 * in control, and 24.4 windows for a 1-sigma shift (173 for 0.5 sigma, 8.7 for 2 sigma).
 */
public final class Cusum {

    /** Largest |z| a window contributes: the normal score of p = 1e-15. */
    private static final double SMALLEST_P = 1e-15;

    private final double k;
    private final double h;
    private double sum;

    /**
     * @param k reference value, half the shift in standard deviations to detect fastest, >= 0
     * @param h decision interval, > 0
     */
    public Cusum(double k, double h) {
        if (!(k >= 0.0 && Double.isFinite(k)) || !(h > 0.0 && Double.isFinite(h))) {
            throw new IllegalArgumentException("CUSUM needs finite k >= 0 and h > 0: k=" + k + ", h=" + h);
        }
        this.k = k;
        this.h = h;
    }

    /** Adds one window's score; a NaN score (no test this window) leaves the chart as it was. Returns {@link #signalling()}. */
    public boolean add(double z) {
        if (!Double.isNaN(z)) {
            sum = Math.min(2.0 * h, Math.max(0.0, sum + z - k));
        }
        return signalling();
    }

    /** The cumulative sum S. */
    public double sum() {
        return sum;
    }

    /** Whether S > h. */
    public boolean signalling() {
        return sum > h;
    }

    /** Sets S, as restored from a {@link MonitorState}; clamped to [0, 2h]. */
    void restore(double s) {
        sum = Math.min(2.0 * h, Math.max(0.0, s));
    }

    /** Starts over from S = 0, as after a cleared alert. */
    public void reset() {
        sum = 0.0;
    }

    /**
     * The normal score Phi^-1(1 - p) of an upper-tail p-value, N(0, 1) when p is uniform; p is
     * clamped to [1e-15, 1 - 1e-15], so one window moves S by at most about 7.9 - k. NaN for NaN.
     */
    public static double score(double upperTailP) {
        if (Double.isNaN(upperTailP)) {
            return Double.NaN;
        }
        double p = Math.min(1.0 - SMALLEST_P, Math.max(SMALLEST_P, upperTailP));
        // Phi^-1(1 - p) = sqrt(2) erfinv(1 - 2p).
        return Math.sqrt(2.0) * Erf.erfInv(1.0 - 2.0 * p);
    }
}
