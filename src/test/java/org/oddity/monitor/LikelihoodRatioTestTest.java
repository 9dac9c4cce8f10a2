package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * The stratified likelihood-ratio test against closed forms with Williams' correction, its bin
 * pooling and its sum over strata; its size where strata differ in shape and mix, and in the far
 * tail on rare bins, where Pearson's statistic rejects too often; and its power against a shift
 * in one stratum, all over seeded trials within exact binomial bounds at tail mass 1e-6.
 */
class LikelihoodRatioTestTest {

    private static final double EPS = 1e-6;
    private static final double LEVEL = 0.01;
    private static final int STRATUM_BINS = 10;

    @Test
    void twoByTwoTableMatchesItsClosedForm() {
        // Window {30, 70} against reference {50, 50}: N = 200, columns 80 and 120, so E = {40, 60} in both rows and
        // G = 2 (30 ln(3/4) + 70 ln(7/6) + 50 ln(5/4) + 50 ln(5/6)) = 8.4024. Williams: q = 1 + (N/n + N/m - 1)
        // (N/80 + N/120 - 1) / (6 N) = 1 + 3 (19/6) / 1200 = 1 + 19/2400, so G / q = 8.3364 on 1 df.
        HistogramTestResult r = LikelihoodRatioTest.stratifiedHomogeneity(List.of(new long[] {30, 70}),
                List.of(new long[] {50, 50}), 0, 2);
        double g = 2 * (30 * Math.log(0.75) + 70 * Math.log(7.0 / 6) + 50 * Math.log(1.25) + 50 * Math.log(5.0 / 6));
        assertEquals(8.4024, g, 1e-4);
        assertEquals(g / (1 + 19.0 / 2400), r.statistic(), 1e-12);
        assertEquals(1, r.degreesOfFreedom());
        assertEquals(Erf.erfc(Math.sqrt(r.statistic() / 2.0)), r.pValue(), 1e-14);
        // Bin 0 adds 2 (30 ln(3/4) + 10) + 2 (50 ln(5/4) - 10) = 5.05 before correction, bin 1 only 3.35; the
        // reference's 50 events expect 100 x 50 / 100 in the window.
        assertEquals(0, r.worstFirst());
        assertEquals(0, r.worstLast());
        assertEquals(30.0, r.worstObserved());
        assertEquals(50.0, r.worstExpected());
    }

    @Test
    void twoByThreeTableMatchesItsClosedForm() {
        // Window {10, 20, 30} against reference {30, 20, 10}: N = 120, every E = 20, so G = 2 (2 x 10 ln(1/2) +
        // 2 x 30 ln(3/2)) = 4 (30 ln 3 - 40 ln 2) = 20.930. Williams: q = 1 + 3 (3 x 3 - 1) / (6 x 120 x 2) = 61/60,
        // and on 2 df P = exp(-G / (2 q)).
        HistogramTestResult r = LikelihoodRatioTest.stratifiedHomogeneity(List.of(new long[] {10, 20, 30}),
                List.of(new long[] {30, 20, 10}), 0, 3);
        double g = 4 * (30 * Math.log(3) - 40 * Math.log(2));
        assertEquals(20.930, g, 1e-3);
        assertEquals(g * 60 / 61, r.statistic(), 1e-12);
        assertEquals(2, r.degreesOfFreedom());
        assertEquals(Math.exp(-r.statistic() / 2), r.pValue(), 1e-15);
        // Bins 0 and 2 add the same; the first is reported, 10 observed where the reference's 30 expect 30.
        assertEquals(0, r.worstFirst());
        assertEquals(0, r.worstLast());
        assertEquals(10.0, r.worstObserved());
        assertEquals(30.0, r.worstExpected());
    }

    @Test
    void binsWithoutReferenceEventsArePooledWithTheirNeighbours() {
        // Slots 1..5: reference {0, 0, 100, 100, 0}, window {7, 5, 50, 50, 3} (n = 115, m = 200), so the
        // smaller row expects min(n, m) (o + r) / (n + m) = {2.6, 1.8, 54.8, 54.8, 1.1}: groups {1, 2, 3}
        // and {4, 5}, 1 degree of freedom, though the window has events where the reference has none.
        long[] observed = {9, 7, 5, 50, 50, 3, 99};
        long[] reference = {7, 0, 0, 100, 100, 0, 8};
        HistogramTestResult r = LikelihoodRatioTest.stratifiedHomogeneity(List.of(observed), List.of(reference), 1,
                5);
        assertEquals(1, r.degreesOfFreedom());
        // The 2 x 2 table {62, 53} / {100, 100} with columns 162 and 153 of N = 315: G = 2 sum O ln(O / E) = 0.4479.
        double n = 115;
        double m = 200;
        double total = n + m;
        double g = 2 * (62 * Math.log(62 / (n * 162 / total)) + 53 * Math.log(53 / (n * 153 / total))
                + 100 * Math.log(100 / (m * 162 / total)) + 100 * Math.log(100 / (m * 153 / total)));
        double q = 1 + (total / n + total / m - 1) * (total / 162 + total / 153 - 1) / (6 * total);
        assertEquals(0.4479, g, 1e-4);
        assertEquals(g / q, r.statistic(), 1e-12);
        // The second group, with the smaller column, adds more; bins are numbered within the slice.
        assertEquals(3, r.worstFirst());
        assertEquals(4, r.worstLast());
        assertEquals(53.0, r.worstObserved());
        assertEquals(57.5, r.worstExpected(), 1e-12);
    }

    @Test
    void strataAddTheirStatisticsAndDegreesOfFreedom() {
        // Two tested strata, one without window events, one without reference events and one of 6 events, too few
        // for two groups: G and its degrees of freedom are those of the first two, each tested alone.
        long[][] window = {{30, 70}, {5, 35}, {0, 0}, {4, 1}, {3, 1}};
        long[][] reference = {{50, 50}, {60, 20}, {10, 3}, {0, 0}, {1, 1}};
        HistogramTestResult first = LikelihoodRatioTest.stratifiedHomogeneity(List.of(window[0]),
                List.of(reference[0]), 0, 2);
        HistogramTestResult second = LikelihoodRatioTest.stratifiedHomogeneity(List.of(window[1]),
                List.of(reference[1]), 0, 2);
        HistogramTestResult r = LikelihoodRatioTest.stratifiedHomogeneity(List.of(window), List.of(reference), 0,
                2);
        assertEquals(first.statistic() + second.statistic(), r.statistic(), 1e-12);
        assertEquals(2, r.degreesOfFreedom());
        assertEquals(Math.exp(-r.statistic() / 2), r.pValue(), 1e-15);
        // The worst group is the second stratum's bin 0, adding 2 (5 ln(5 / 21.7) + 16.7) + 2 (60 ln(60 / 43.3) - 16.7)
        // = 24.4 before correction, reported with that stratum's counts alone: 5 observed where the reference's 60
        // expect 40 x 60 / 80.
        assertEquals(0, r.worstFirst());
        assertEquals(0, r.worstLast());
        assertEquals(5.0, r.worstObserved());
        assertEquals(30.0, r.worstExpected(), 1e-12);
        assertFalse(LikelihoodRatioTest.stratifiedHomogeneity(List.of(window[2], window[3], window[4]),
                List.of(reference[2], reference[3], reference[4]), 0, 2).tested());
        assertFalse(LikelihoodRatioTest.stratifiedHomogeneity(List.of(new long[4]), List.of(new long[] {5, 5, 5, 5}),
                0, 4).tested());
        assertTrue(Double.isNaN(LikelihoodRatioTest.stratifiedHomogeneity(List.of(new long[] {5, 5}),
                List.of(new long[2]), 0, 2).pValue()));
        assertThrows(IllegalArgumentException.class,
                () -> LikelihoodRatioTest.stratifiedHomogeneity(List.of(window[0]), List.of(), 0, 2));
    }

    @Test
    void stratifiedTestHoldsItsSizeWhereStrataDifferInShapeAndMix() {
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
            if (LikelihoodRatioTest.stratifiedHomogeneity(List.of(windowA, windowB), List.of(referenceA, referenceB), 0,
                    STRATUM_BINS).pValue() <= LEVEL) {
                stratified++;
            }
            if (LikelihoodRatioTest.stratifiedHomogeneity(List.of(sum(windowA, windowB)),
                    List.of(sum(referenceA, referenceB)), 0, STRATUM_BINS).pValue() <= LEVEL) {
                pooled++;
            }
        }
        int upper = SamplingTolerance.binomialUpper(trials, LEVEL, EPS);
        assertTrue(stratified <= upper, stratified + " of " + trials + " rejected at " + LEVEL + ", at most " + upper);
        assertTrue(pooled > trials / 2, "pooled strata: " + pooled + " of " + trials + " rejected");
    }

    @Test
    void rareBinsKeepTheSizeInTheFarTailWherePearsonRejectsTooOften() {
        // A zero-padded feature: 99 % of events in the zero slot, 1 % spread evenly over 8 more. Windows of 3,000
        // events against references of 20,000 pool the tail into groups expecting about 5 to 10 window events,
        // Cochran's rule met; at level 1e-4 Pearson's statistic rejects about three times too often, G / q does not.
        int trials = 200_000;
        int tailBins = 8;
        double level = 1e-4;
        SplittableRandom random = new SplittableRandom(53L);
        BinomialSampler windowTail = new BinomialSampler(3_000, 0.01, random);
        BinomialSampler referenceTail = new BinomialSampler(20_000, 0.01, random);
        long[] observed = new long[1 + tailBins];
        long[] reference = new long[1 + tailBins];
        int likelihoodRatio = 0;
        int pearson = 0;
        for (int t = 0; t < trials; t++) {
            zeroPadded(observed, 3_000, windowTail.next(), random);
            zeroPadded(reference, 20_000, referenceTail.next(), random);
            if (LikelihoodRatioTest.stratifiedHomogeneity(List.of(observed), List.of(reference), 0, observed.length)
                    .pValue() <= level) {
                likelihoodRatio++;
            }
            if (pearsonHomogeneity(observed, reference) <= level) {
                pearson++;
            }
        }
        int upper = SamplingTolerance.binomialUpper(trials, level, EPS);
        assertTrue(likelihoodRatio <= upper, "G: " + likelihoodRatio + " of " + trials + " rejected at " + level
                + ", at most " + upper);
        assertTrue(pearson > likelihoodRatio, "Pearson: " + pearson + " of " + trials + " rejected at " + level
                + ", G " + likelihoodRatio);
    }

    @Test
    void aShiftInOneStratumIsDetected() {
        // The window's stratum A is flat where the reference's piles towards bin 0; stratum B is unchanged. A's
        // 500 events are tested on their own, whatever the weight of B.
        int trials = 200;
        double[] low = cumulative(b -> 10 - b);
        double[] flat = cumulative(b -> 1);
        double[] high = cumulative(b -> b + 1);
        SplittableRandom random = new SplittableRandom(43L);
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            List<long[]> window = List.of(multinomial(500, flat, random), multinomial(1_500, high, random));
            List<long[]> reference = List.of(multinomial(5_000, low, random), multinomial(2_000, high, random));
            if (LikelihoodRatioTest.stratifiedHomogeneity(window, reference, 0, STRATUM_BINS).pValue() <= LEVEL) {
                rejected++;
            }
        }
        assertTrue(rejected > 0.9 * trials, rejected + " of " + trials + " rejected at " + LEVEL);
    }

    /** Fills {@code counts} with n events, {@code tail} of them spread uniformly over every slot but slot 0. */
    private static void zeroPadded(long[] counts, int n, int tail, SplittableRandom random) {
        Arrays.fill(counts, 0);
        counts[0] = n - tail;
        for (int i = 0; i < tail; i++) {
            counts[1 + random.nextInt(counts.length - 1)]++;
        }
    }

    /**
     * The p-value of the Pearson homogeneity test this class replaced, one stratum: sum_g (m o - n r)^2 /
     * (n m (o + r)) over the same groups of bins.
     */
    private static double pearsonHomogeneity(long[] observed, long[] reference) {
        long n = Arrays.stream(observed).sum();
        long m = Arrays.stream(reference).sum();
        double weight = (double) Math.min(n, m) / (n + m);
        int[] ends = BinPooling.groupEnds(observed.length, i -> weight * (observed[i] + reference[i]));
        double chi2 = 0;
        int start = 0;
        for (int end : ends) {
            long o = 0;
            long r = 0;
            for (int i = start; i < end; i++) {
                o += observed[i];
                r += reference[i];
            }
            chi2 += Math.pow((double) m * o - (double) n * r, 2) / ((double) n * m * (o + r));
            start = end;
        }
        return HistogramTestResult.upperTail(chi2, ends.length - 1);
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
}
