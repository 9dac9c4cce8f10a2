package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * Pearson's chi-square tests against closed forms, their bin pooling, and the p-value uniformity
 * test's size under the null (continuous and conformal-grid p-values, a window small enough to
 * pool bins) and power against p-values piled towards 0, all over seeded trials within exact
 * binomial bounds at tail mass 1e-6.
 */
class PearsonChiSquareTest {

    private static final double EPS = 1e-6;
    private static final int BINS = 20;
    private static final double LEVEL = 0.01;
    private static final int STRATUM_BINS = 10;

    @Test
    void uniformityMatchesClosedFormTails() {
        // {10, 20, 30}: chi2 = (100 + 0 + 100) / 20 = 10 on 2 df, P = exp(-10 / 2).
        PearsonChiSquare.Result two = PearsonChiSquare.uniformity(new long[] {10, 20, 30});
        assertEquals(10.0, two.statistic(), 1e-12);
        assertEquals(2, two.degreesOfFreedom());
        assertEquals(Math.exp(-5.0), two.pValue(), 1e-15);
        // {10, 20, 30, 40}: chi2 = (225 + 25 + 25 + 225) / 25 = 20 on 3 df, P = erfc(sqrt(10)) + sqrt(40 / pi) exp(-10).
        PearsonChiSquare.Result three = PearsonChiSquare.uniformity(new long[] {10, 20, 30, 40});
        assertEquals(20.0, three.statistic(), 1e-12);
        assertEquals(Erf.erfc(Math.sqrt(10.0)) + Math.sqrt(40.0 / Math.PI) * Math.exp(-10.0), three.pValue(), 1e-15);
        // The first of the two groups adding most: bin 0 with 10 events, 25 expected.
        assertEquals(0, three.worstFirst());
        assertEquals(0, three.worstLast());
        assertEquals(10.0, three.worstObserved());
        assertEquals(25.0, three.worstExpected());
    }

    @Test
    void homogeneityIsThePearsonTestOfTheTwoByGTable() {
        // Window {30, 70} against reference {50, 50}: N (ad - bc)^2 / (row and column totals) = 8.333 on 1 df.
        PearsonChiSquare.Result r = PearsonChiSquare.homogeneity(new long[] {30, 70}, new long[] {50, 50}, 0, 2);
        assertEquals(200.0 * Math.pow(30 * 50 - 70 * 50, 2) / (100.0 * 100 * 80 * 120), r.statistic(), 1e-12);
        assertEquals(1, r.degreesOfFreedom());
        assertEquals(Erf.erfc(Math.sqrt(r.statistic() / 2.0)), r.pValue(), 1e-14);
        assertEquals(30.0, r.worstObserved());
        assertEquals(50.0, r.worstExpected());
    }

    @Test
    void binsWithoutReferenceEventsArePooledWithTheirNeighbours() {
        // Slots 1..5: reference {0, 0, 100, 100, 0}, window {7, 5, 50, 50, 3} (n = 115, N = 200), so the
        // smaller row expects min(n, N) (o + r) / (n + N) = {2.6, 1.8, 54.8, 54.8, 1.1}: groups {1, 2, 3}
        // and {4, 5}, 1 degree of freedom, though the window has events where the reference has none.
        long[] observed = {9, 7, 5, 50, 50, 3, 99};
        long[] reference = {7, 0, 0, 100, 100, 0, 8};
        PearsonChiSquare.Result r = PearsonChiSquare.homogeneity(observed, reference, 1, 5);
        assertEquals(1, r.degreesOfFreedom());
        double first = Math.pow(200.0 * 62 - 115.0 * 100, 2) / (115.0 * 200 * 162);
        double second = Math.pow(200.0 * 53 - 115.0 * 100, 2) / (115.0 * 200 * 153);
        assertEquals(first + second, r.statistic(), 1e-12);
        // The second group adds more; bins are numbered within the slice.
        assertEquals(3, r.worstFirst());
        assertEquals(4, r.worstLast());
        assertEquals(53.0, r.worstObserved());
        assertEquals(57.5, r.worstExpected(), 1e-12);
    }

    @Test
    void oneStratumIsTheTwoByGTest() {
        // Histograms large enough that no bins pool, against sum_g (m o - n r)^2 / (n m (o + r)); strata
        // without window or reference events change nothing.
        SplittableRandom random = new SplittableRandom(37L);
        for (int trial = 0; trial < 5; trial++) {
            long[] observed = new long[BINS];
            long[] reference = new long[BINS];
            for (int b = 0; b < BINS; b++) {
                observed[b] = 20 + random.nextInt(100);
                reference[b] = 50 + random.nextInt(1000);
            }
            PearsonChiSquare.Result plain = PearsonChiSquare.homogeneity(observed, reference, 0, BINS);
            assertEquals(BINS - 1, plain.degreesOfFreedom());
            double n = Arrays.stream(observed).sum();
            double m = Arrays.stream(reference).sum();
            double chi2 = 0;
            for (int b = 0; b < BINS; b++) {
                chi2 += Math.pow(m * observed[b] - n * reference[b], 2) / (n * m * (observed[b] + reference[b]));
            }
            assertEquals(chi2, plain.statistic(), 1e-12 * chi2);
            PearsonChiSquare.Result stratified = PearsonChiSquare.stratifiedHomogeneity(
                    List.of(new long[BINS], observed, observed), List.of(reference, reference, new long[BINS]), 0, BINS);
            assertEquals(plain, stratified);
        }
    }

    @Test
    void stratifiedHomogeneitySumsDifferencesWithinStrataBeforeSquaring() {
        // Stratum 1: window {30, 70} (n = 100), reference {50, 50} (m = 100); stratum 2: window {20, 20}
        // (n = 40), reference {60, 20} (m = 80); a third without window events and a fourth without reference
        // events are skipped. D = (-20 - 10, 20 + 10), V = (80 + 80 / 2, 120 + 40 / 2) = (120, 140), so
        // X = 900 / 120 + 900 / 140 = 195 / 14 on 1 df. Pooling expects (40 + 80 / 3, 60 + 40 / 3) > 5 per bin.
        PearsonChiSquare.Result r = PearsonChiSquare.stratifiedHomogeneity(
                List.of(new long[] {30, 70}, new long[] {20, 20}, new long[] {0, 0}, new long[] {4, 1}),
                List.of(new long[] {50, 50}, new long[] {60, 20}, new long[] {10, 3}, new long[] {0, 0}), 0, 2);
        assertEquals(195.0 / 14, r.statistic(), 1e-12);
        assertEquals(1, r.degreesOfFreedom());
        assertEquals(Erf.erfc(Math.sqrt(r.statistic() / 2.0)), r.pValue(), 1e-14);
        // Bin 0 adds 7.5: observed 30 + 20, expected 50 + 40 * 60 / 80.
        assertEquals(0, r.worstFirst());
        assertEquals(0, r.worstLast());
        assertEquals(50.0, r.worstObserved());
        assertEquals(80.0, r.worstExpected(), 1e-12);
        assertFalse(PearsonChiSquare.stratifiedHomogeneity(List.of(new long[] {0, 0}, new long[] {4, 1}),
                List.of(new long[] {10, 3}, new long[] {0, 0}), 0, 2).tested());
    }

    @Test
    void stratifiedHomogeneityHoldsItsSizeWhereStrataDifferInShapeAndMix() {
        // Stratum A piles towards bin 0, stratum B towards bin 9. The window holds 500 A and 1500 B events
        // (75 % B), the reference 5000 A and 2000 B (29 % B), both drawn from the same per-stratum shapes:
        // the stratified test keeps its size, while pooling the strata into one histogram sees the mix.
        int trials = 2_000;
        double[] low = cumulative(b -> 10 - b);
        double[] high = cumulative(b -> b + 1);
        SplittableRandom random = new SplittableRandom(41L);
        int stratified = 0;
        int pooled = 0;
        for (int t = 0; t < trials; t++) {
            long[] windowA = multinomial(500, low, random);
            long[] windowB = multinomial(1_500, high, random);
            long[] referenceA = multinomial(5_000, low, random);
            long[] referenceB = multinomial(2_000, high, random);
            if (PearsonChiSquare.stratifiedHomogeneity(List.of(windowA, windowB), List.of(referenceA, referenceB), 0,
                    STRATUM_BINS).pValue() <= LEVEL) {
                stratified++;
            }
            if (PearsonChiSquare.homogeneity(sum(windowA, windowB), sum(referenceA, referenceB), 0, STRATUM_BINS)
                    .pValue() <= LEVEL) {
                pooled++;
            }
        }
        int upper = SamplingTolerance.binomialUpper(trials, LEVEL, EPS);
        assertTrue(stratified <= upper, stratified + " of " + trials + " rejected at " + LEVEL + ", at most " + upper);
        assertTrue(pooled > trials / 2, "pooled strata: " + pooled + " of " + trials + " rejected");
    }

    @Test
    void stratifiedHomogeneityDetectsAShiftInOneStratum() {
        // The window's stratum A is flat where the reference's piles towards bin 0. Stratum B, with the
        // larger n_s / m_s, carries most of V_g, so a milder shift of A's 500 events goes unseen.
        int trials = 200;
        double[] low = cumulative(b -> 10 - b);
        double[] flat = cumulative(b -> 1);
        double[] high = cumulative(b -> b + 1);
        SplittableRandom random = new SplittableRandom(43L);
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            List<long[]> window = List.of(multinomial(500, flat, random), multinomial(1_500, high, random));
            List<long[]> reference = List.of(multinomial(5_000, low, random), multinomial(2_000, high, random));
            if (PearsonChiSquare.stratifiedHomogeneity(window, reference, 0, STRATUM_BINS).pValue() <= LEVEL) {
                rejected++;
            }
        }
        assertTrue(rejected > 0.9 * trials, rejected + " of " + trials + " rejected at " + LEVEL);
    }

    @Test
    void smallHistogramsPoolToFiveExpectedOrGoUntested() {
        // 40 events in 20 bins expect 2 each: groups of 3 bins, the last 2 bins join the sixth group.
        long[] counts = new long[BINS];
        Arrays.fill(counts, 2);
        PearsonChiSquare.Result pooled = PearsonChiSquare.uniformity(counts);
        assertEquals(5, pooled.degreesOfFreedom());
        assertEquals(0.0, pooled.statistic(), 1e-12);
        assertEquals(1.0, pooled.pValue());
        // 9 events make one group only: nothing to test, and no exception.
        PearsonChiSquare.Result single = PearsonChiSquare.uniformity(new long[] {9, 0, 0, 0});
        assertFalse(single.tested());
        assertTrue(Double.isNaN(single.pValue()));
        assertFalse(PearsonChiSquare.uniformity(new long[BINS]).tested());
        assertFalse(PearsonChiSquare.homogeneity(new long[4], new long[] {5, 5, 5, 5}, 0, 4).tested());
        assertFalse(PearsonChiSquare.homogeneity(new long[] {5, 5}, new long[2], 0, 2).tested());
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

    /** Cumulative probabilities of STRATUM_BINS bins with the given weights, the last exactly 1. */
    private static double[] cumulative(IntToDoubleFunction weight) {
        double[] cumulative = new double[STRATUM_BINS];
        double sum = 0;
        for (int b = 0; b < STRATUM_BINS; b++) {
            sum += weight.applyAsDouble(b);
            cumulative[b] = sum;
        }
        for (int b = 0; b < STRATUM_BINS; b++) {
            cumulative[b] /= sum;
        }
        cumulative[STRATUM_BINS - 1] = 1.0;
        return cumulative;
    }

    /** A histogram of n events drawn by inverting the cumulative probabilities. */
    private static long[] multinomial(int n, double[] cumulative, SplittableRandom random) {
        long[] counts = new long[cumulative.length];
        for (int i = 0; i < n; i++) {
            int b = Arrays.binarySearch(cumulative, random.nextDouble());
            counts[b >= 0 ? b + 1 : -b - 1]++;
        }
        return counts;
    }

    private static long[] sum(long[] a, long[] b) {
        long[] sum = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    /** P(chi'2(df, lambda) > x) as the Poisson(lambda / 2) mixture of central chi2(df + 2j) tails. */
    private static double noncentralSurvival(int df, double lambda, double x) {
        PoissonDistribution poisson = new PoissonDistribution(lambda / 2);
        double sum = 0;
        for (int j = 0; j < 200; j++) {
            sum += poisson.probability(j) * PearsonChiSquare.upperTail(x, df + 2 * j);
        }
        return sum;
    }
}
