package org.oddity.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * The Kolmogorov distribution against published values, and the test's size: on uniform samples it
 * rejects at level 0.01 in 1% of seeded trials (within exact binomial bounds), on a skewed sample it
 * rejects, and on conformal p-values the two-sample effective size keeps its size where the naive one
 * does not.
 */
class KolmogorovSmirnovTest {

    private static final int TRIALS = 2000;
    private static final double LEVEL = 0.01;
    /** Tail mass of each binomial bound: a correct test fails one with probability 2e-4. */
    private static final double EPS = 1e-4;

    @Test
    void survivalMatchesTheTableOnBothSeries() {
        // Critical values of sqrt(n) D (Smirnov's table): 1.3581 at 5%, 1.6276 at 1%, 1.9495 at 0.1%.
        assertEquals(0.05, KolmogorovSmirnov.kolmogorovSurvival(1.3581), 1e-4);
        assertEquals(0.01, KolmogorovSmirnov.kolmogorovSurvival(1.6276), 1e-5);
        assertEquals(0.001, KolmogorovSmirnov.kolmogorovSurvival(1.9495), 1e-6);
        // Below x = 1 the theta-function series: P(K <= 0.5) = 0.0360547563 (Marsaglia, Tsang and Wang 2003).
        assertEquals(1.0 - 0.0360547563, KolmogorovSmirnov.kolmogorovSurvival(0.5), 1e-9);
        // The two series agree where they meet.
        assertEquals(KolmogorovSmirnov.kolmogorovSurvival(1.0 - 1e-12), KolmogorovSmirnov.kolmogorovSurvival(1.0),
                1e-10);
        assertEquals(1.0, KolmogorovSmirnov.kolmogorovSurvival(0.0));
        assertEquals(1.0, KolmogorovSmirnov.kolmogorovSurvival(0.1), 1e-12);
    }

    @Test
    void statisticOfAPerfectGridIsHalfAStep() {
        double[] grid = new double[100];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (i + 0.5) / grid.length;
        }
        assertEquals(0.005, KolmogorovSmirnov.statisticAgainstUniform(grid), 1e-12);
        double[] allOnes = new double[10];
        Arrays.fill(allOnes, 1.0);
        assertEquals(1.0, KolmogorovSmirnov.statisticAgainstUniform(allOnes), 1e-12);
    }

    @Test
    void rejectsUniformSamplesAtTheNominalRate() {
        SplittableRandom random = new SplittableRandom(2024);
        int rejected = 0;
        for (int t = 0; t < TRIALS; t++) {
            double[] sample = new double[50];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = random.nextDouble();
            }
            if (KolmogorovSmirnov.pValue(KolmogorovSmirnov.statisticAgainstUniform(sample), sample.length) <= LEVEL) {
                rejected++;
            }
        }
        assertWithinBinomial(rejected, TRIALS, LEVEL);
    }

    @Test
    void rejectsASkewedSample() {
        SplittableRandom random = new SplittableRandom(7);
        double[] sample = new double[500];
        for (int i = 0; i < sample.length; i++) {
            double u = random.nextDouble();
            sample[i] = u * u;
        }
        // D is about 0.25 (max of sqrt(x) - x): sqrt(500) * 0.25 = 5.6, far in the tail.
        double d = KolmogorovSmirnov.statisticAgainstUniform(sample);
        assertEquals(0.25, d, 0.05);
        assertTrue(KolmogorovSmirnov.pValue(d, sample.length) < 1e-12, "p " + KolmogorovSmirnov.pValue(d, 500));
    }

    @Test
    void conformalPValuesNeedTheTwoSampleEffectiveSize() {
        SplittableRandom random = new SplittableRandom(99);
        int calibration = 400;
        int events = 2000;
        int rejectedTwoSample = 0;
        int rejectedNaive = 0;
        int trials = 1000;
        for (int t = 0; t < trials; t++) {
            double[] scores = new double[calibration];
            for (int i = 0; i < calibration; i++) {
                scores[i] = random.nextDouble();
            }
            Arrays.sort(scores);
            double[] p = new double[events];
            for (int j = 0; j < events; j++) {
                int below = Arrays.binarySearch(scores, random.nextDouble());
                int atLeast = calibration - (below >= 0 ? below : -below - 1);
                p[j] = (1.0 + atLeast) / (1.0 + calibration);
            }
            double d = KolmogorovSmirnov.statisticAgainstUniform(p);
            if (KolmogorovSmirnov.pValue(d, KolmogorovSmirnov.twoSampleEffectiveSize(events, calibration)) <= LEVEL) {
                rejectedTwoSample++;
            }
            if (KolmogorovSmirnov.pValue(d, events) <= LEVEL) {
                rejectedNaive++;
            }
        }
        // p-values share one calibration set, so against U(0, 1) they are as spread as a two-sample comparison.
        assertTrue(rejectedTwoSample <= SamplingTolerance.binomialUpper(trials, LEVEL, EPS),
                rejectedTwoSample + " of " + trials);
        assertTrue(rejectedNaive > SamplingTolerance.binomialUpper(trials, LEVEL, EPS),
                "the naive size should over-reject: " + rejectedNaive + " of " + trials);
    }

    private static void assertWithinBinomial(int count, int trials, double q) {
        int lower = SamplingTolerance.binomialLower(trials, q, EPS);
        int upper = SamplingTolerance.binomialUpper(trials, q, EPS);
        assertTrue(count >= lower && count <= upper, count + " of " + trials + " outside [" + lower + ", " + upper
                + "]");
    }
}
