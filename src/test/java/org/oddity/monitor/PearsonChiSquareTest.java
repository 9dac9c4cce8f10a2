package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * Pearson's chi-square test of uniformity against closed forms, its bin pooling, and its size
 * under the null (continuous and conformal-grid p-values, a window small enough to pool bins) and
 * power against p-values piled towards 0, all over seeded trials within exact binomial bounds at
 * tail mass 1e-6.
 */
class PearsonChiSquareTest {

    private static final double EPS = 1e-6;
    private static final int BINS = 20;
    private static final double LEVEL = 0.01;

    @Test
    void uniformityMatchesClosedFormTails() {
        // {10, 20, 30}: chi2 = (100 + 0 + 100) / 20 = 10 on 2 df, P = exp(-10 / 2).
        HistogramTestResult two = PearsonChiSquare.uniformity(new long[] {10, 20, 30});
        assertEquals(10.0, two.statistic(), 1e-12);
        assertEquals(2, two.degreesOfFreedom());
        assertEquals(Math.exp(-5.0), two.pValue(), 1e-15);
        // {10, 20, 30, 40}: chi2 = (225 + 25 + 25 + 225) / 25 = 20 on 3 df, P = erfc(sqrt(10)) + sqrt(40 / pi) exp(-10).
        HistogramTestResult three = PearsonChiSquare.uniformity(new long[] {10, 20, 30, 40});
        assertEquals(20.0, three.statistic(), 1e-12);
        assertEquals(Erf.erfc(Math.sqrt(10.0)) + Math.sqrt(40.0 / Math.PI) * Math.exp(-10.0), three.pValue(), 1e-15);
        // The first of the two groups adding most: bin 0 with 10 events, 25 expected.
        assertEquals(0, three.worstFirst());
        assertEquals(0, three.worstLast());
        assertEquals(10.0, three.worstObserved());
        assertEquals(25.0, three.worstExpected());
    }

    @Test
    void smallHistogramsPoolToFiveExpectedOrGoUntested() {
        // 40 events in 20 bins expect 2 each: groups of 3 bins, the last 2 bins join the sixth group.
        long[] counts = new long[BINS];
        Arrays.fill(counts, 2);
        HistogramTestResult pooled = PearsonChiSquare.uniformity(counts);
        assertEquals(5, pooled.degreesOfFreedom());
        assertEquals(0.0, pooled.statistic(), 1e-12);
        assertEquals(1.0, pooled.pValue());
        // 9 events make one group only: nothing to test, and no exception.
        HistogramTestResult single = PearsonChiSquare.uniformity(new long[] {9, 0, 0, 0});
        assertFalse(single.tested());
        assertTrue(Double.isNaN(single.pValue()));
        assertFalse(PearsonChiSquare.uniformity(new long[BINS]).tested());
    }

    @Test
    void uniformityHasItsNominalSizeOnContinuousConformalGridAndSmallWindows() {
        SplittableRandom random = new SplittableRandom(17L);
        // Continuous p (randomized conformal), conservative conformal p on the grid j / 1000 of a 999-event
        // calibration set (20 bins hold 50 grid points each, so they stay equally likely), and 40-event
        // windows that pool bins.
        assertSizeWithinBounds("continuous", 10_000, 1_000, random::nextDouble);
        assertSizeWithinBounds("conformal grid", 10_000, 1_000, () -> (1 + Math.floor(1000 * random.nextDouble())) / 1000);
        assertSizeWithinBounds("40 events", 10_000, 40, random::nextDouble);
    }

    @Test
    void uniformityDetectsPValuesPiledTowardsZeroWithItsAsymptoticPower() {
        // p = U^1.1 has P(p <= x) = x^(1/1.1): bin b holds pi_b = ((b + 1) / B)^(1/1.1) - (b / B)^(1/1.1).
        // Pearson's statistic is then about noncentral chi2(B - 1, lambda), lambda = n B sum (pi_b - 1/B)^2.
        double gamma = 1.1;
        int n = 2_000;
        double lambda = 0;
        for (int b = 0; b < BINS; b++) {
            double pi = Math.pow((b + 1.0) / BINS, 1 / gamma) - Math.pow((double) b / BINS, 1 / gamma);
            lambda += n * BINS * (pi - 1.0 / BINS) * (pi - 1.0 / BINS);
        }
        double power = noncentralSurvival(BINS - 1, lambda,
                new ChiSquaredDistribution(BINS - 1).inverseCumulativeProbability(1 - LEVEL));
        SplittableRandom random = new SplittableRandom(19L);
        int trials = 2_000;
        int rejected = rejections(trials, n, () -> Math.pow(random.nextDouble(), gamma));
        int lower = SamplingTolerance.binomialLower(trials, power, EPS);
        int upper = SamplingTolerance.binomialUpper(trials, power, EPS);
        assertTrue(rejected >= lower && rejected <= upper, rejected + " of " + trials + " rejected, asymptotic power "
                + power + " accepts [" + lower + ", " + upper + "]");
        assertTrue(power > 0.5, "power " + power);
    }

    private static void assertSizeWithinBounds(String what, int trials, int n, DoubleSupplier p) {
        int rejected = rejections(trials, n, p);
        int lower = SamplingTolerance.binomialLower(trials, LEVEL, EPS);
        int upper = SamplingTolerance.binomialUpper(trials, LEVEL, EPS);
        assertTrue(rejected >= lower && rejected <= upper, what + ": " + rejected + " of " + trials
                + " rejected at " + LEVEL + ", accepted [" + lower + ", " + upper + "]");
    }

    /** Trials whose histogram of n p-values in 20 bins is rejected at LEVEL. */
    private static int rejections(int trials, int n, DoubleSupplier p) {
        long[] counts = new long[BINS];
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[Math.min(BINS - 1, (int) (p.getAsDouble() * BINS))]++;
            }
            if (PearsonChiSquare.uniformity(counts).pValue() <= LEVEL) {
                rejected++;
            }
        }
        return rejected;
    }

    /** P(chi'2(df, lambda) > x) as the Poisson(lambda / 2) mixture of central chi2(df + 2j) tails. */
    private static double noncentralSurvival(int df, double lambda, double x) {
        PoissonDistribution poisson = new PoissonDistribution(lambda / 2);
        double sum = 0;
        for (int j = 0; j < 200; j++) {
            sum += poisson.probability(j) * HistogramTestResult.upperTail(x, df + 2 * j);
        }
        return sum;
    }
}
