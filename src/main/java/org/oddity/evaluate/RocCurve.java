package org.oddity.evaluate;

import java.util.Arrays;
import org.oddity.calibrate.Ranks;

/**
 * The receiver operating characteristic of a score separating signal from background events: the area
 * under it and the true-positive rate at a given false-positive rate.
 *
 * <p>Implementation note: the AUC is the Mann-Whitney statistic P(S > B) + P(S = B) / 2 over every
 * signal-background pair (ties count one half), H. B. Mann and D. R. Whitney, Ann. Math. Stat. 18, 50
 * (1947); its standard error is the approximation of J. A. Hanley and B. J. McNeil, Radiology 143, 29
 * (1982). The threshold at false-positive rate f is the background score t that leaves at most
 * k = floor(f N_b) of the N_b background scores strictly above it (the (N_b - k)-th smallest); an event
 * passes when its score is above t, and the TPR is the fraction of signal scores above t.
 */
public final class RocCurve {

    /** A FPR f is resolved only with at least this many background events above the threshold: N_b >= 10 / f. */
    public static final int MIN_BACKGROUND_ABOVE = 10;

    private final double[] background;
    private final double[] signal;

    private RocCurve(double[] background, double[] signal) {
        this.background = background;
        this.signal = signal;
    }

    /** The curve of {@code signal} scores against {@code background} scores; neither may be empty or hold NaN. */
    public static RocCurve of(double[] background, double[] signal) {
        if (background.length == 0 || signal.length == 0) {
            throw new IllegalArgumentException("a ROC curve needs background and signal scores, got "
                    + background.length + " and " + signal.length);
        }
        return new RocCurve(sortedCopy(background), sortedCopy(signal));
    }

    private static double[] sortedCopy(double[] scores) {
        double[] copy = scores.clone();
        for (double s : copy) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("scores must not be NaN");
            }
        }
        Arrays.sort(copy);
        return copy;
    }

    public int backgroundEvents() {
        return background.length;
    }

    public int signalEvents() {
        return signal.length;
    }

    /** Area under the curve, ties between a signal and a background score counted one half. */
    public double auc() {
        // Twice the Mann-Whitney U, kept in integers so that no pair is lost to rounding.
        long twiceU = 0;
        for (double s : signal) {
            int below = Ranks.firstAtLeast(background, 0, background.length, s);
            int tied = Ranks.firstAbove(background, 0, background.length, s) - below;
            twiceU += 2L * below + tied;
        }
        return twiceU / (2.0 * background.length * signal.length);
    }

    /** Standard error of {@link #auc()} (Hanley and McNeil). */
    public double aucStandardError() {
        double a = auc();
        double q1 = a / (2.0 - a);
        double q2 = 2.0 * a * a / (1.0 + a);
        double ns = signal.length;
        double nb = background.length;
        double variance = (a * (1.0 - a) + (ns - 1.0) * (q1 - a * a) + (nb - 1.0) * (q2 - a * a)) / (ns * nb);
        return Math.sqrt(Math.max(0.0, variance));
    }

    /** Background events needed to resolve {@code fpr}: 10 / fpr, rounded up. */
    public static long backgroundNeeded(double fpr) {
        return (long) Math.ceil(MIN_BACKGROUND_ABOVE / fpr * (1.0 - 1e-12));
    }

    /** Whether there are enough background events to resolve {@code fpr}. */
    public boolean resolves(double fpr) {
        return background.length >= backgroundNeeded(fpr);
    }

    /** The score threshold at false-positive rate {@code fpr} in (0, 1]: at most fpr of the background lies above it. */
    public double thresholdAt(double fpr) {
        if (!(fpr > 0.0 && fpr <= 1.0)) {
            throw new IllegalArgumentException("false-positive rate must be in (0, 1], got " + fpr);
        }
        int n = background.length;
        // The factor absorbs rounding in fpr * n, e.g. 1e-3 * 10,000 = 10 exactly, not 9.999...
        long k = Math.min(n, (long) Math.floor(fpr * n * (1.0 + 1e-12)));
        return k >= n ? Double.NEGATIVE_INFINITY : background[(int) (n - k - 1)];
    }

    /** Fraction of signal scores above {@link #thresholdAt(double)}. */
    public double tprAt(double fpr) {
        return fractionAbove(signal, thresholdAt(fpr));
    }

    /** Fraction of background scores above {@link #thresholdAt(double)}: at most fpr, less when scores tie. */
    public double achievedFprAt(double fpr) {
        return fractionAbove(background, thresholdAt(fpr));
    }

    /**
     * About {@code points} (FPR, TPR) pairs at log-spaced FPRs from 1 / N_b to 1, for plotting on a log
     * FPR axis; {@code [0]} holds the FPRs, {@code [1]} the TPRs.
     */
    public double[][] curve(int points) {
        double lowest = Math.log10(1.0 / background.length);
        double[] fpr = new double[points];
        double[] tpr = new double[points];
        int kept = 0;
        for (int i = 0; i < points; i++) {
            double target = Math.pow(10.0, lowest * (1.0 - i / (points - 1.0)));
            double achieved = achievedFprAt(Math.min(1.0, target));
            if (achieved > 0.0 && (kept == 0 || achieved > fpr[kept - 1])) {
                fpr[kept] = achieved;
                tpr[kept] = tprAt(Math.min(1.0, target));
                kept++;
            }
        }
        return new double[][] {Arrays.copyOf(fpr, kept), Arrays.copyOf(tpr, kept)};
    }

    private static double fractionAbove(double[] sorted, double threshold) {
        return (sorted.length - Ranks.firstAbove(sorted, 0, sorted.length, threshold)) / (double) sorted.length;
    }
}
