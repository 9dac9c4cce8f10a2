package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * The stratified exact flag-rate test against commons-math's hypergeometric tails and a brute-force
 * sum over the joint pmf, its size and mid-p mean under the null over seeded trials within exact
 * binomial and normal bounds at tail mass 1e-6, its power, and its checks on input.
 */
class StratifiedFlagTestTest {

    private static final double EPS = 1e-6;
    private static final double LEVEL = 0.01;

    @Test
    void oneStratumIsFishersExactTest() {
        // {x, n, f, m}: central, upper tail, lower tail, a reference smaller than the window, every event flagged.
        long[][] cases = {{10, 100, 50, 1000}, {20, 100, 30, 1000}, {2, 100, 60, 1000}, {15, 40, 3, 10},
            {5, 5, 7, 7}, {0, 300, 12, 900}};
        for (long[] c : cases) {
            HypergeometricDistribution h = hypergeometric(c[1], c[3], c[0] + c[2]);
            double expected = 1.0 - h.cumulativeProbability((int) c[0] - 1);
            double actual = StratifiedFlagTest.upperTail(new long[] {c[0]}, new long[] {c[1]}, new long[] {c[2]},
                    new long[] {c[3]});
            assertEquals(expected, actual, 1e-12, Arrays.toString(c));
            assertEquals(actual - h.probability((int) c[0]) / 2, StratifiedFlagTest.upperMidP(new long[] {c[0]},
                    new long[] {c[1]}, new long[] {c[2]}, new long[] {c[3]}), 1e-12);
        }
    }

    @Test
    void tinyTailsKeepTheirRelativeAccuracy() {
        // 40 of 200 window events flagged against 20 of 10000 in the reference: P is near 1e-40, where
        // 1 - CDF is 0; commons-math's upper sum gives it directly.
        HypergeometricDistribution h = hypergeometric(200, 10_000, 60);
        double expected = h.upperCumulativeProbability(40);
        assertTrue(expected > 0 && expected < 1e-12, "P = " + expected);
        double actual = StratifiedFlagTest.upperTail(new long[] {40}, new long[] {200}, new long[] {20},
                new long[] {10_000});
        assertEquals(expected, actual, 1e-9 * expected);
    }

    @Test
    void twoStrataMatchTheirJointPmf() {
        // Strata (x, n, f, m): (6, 80, 30, 900) and (9, 50, 40, 400), plus one without window events, skipped.
        long[] x = {6, 9, 0};
        long[] n = {80, 50, 0};
        long[] f = {30, 40, 25};
        long[] m = {900, 400, 500};
        HypergeometricDistribution a = hypergeometric(n[0], m[0], x[0] + f[0]);
        HypergeometricDistribution b = hypergeometric(n[1], m[1], x[1] + f[1]);
        double above = 0.0;
        double at = 0.0;
        for (int i = 0; i <= 36; i++) {
            for (int j = 0; j <= 49; j++) {
                double joint = a.probability(i) * b.probability(j);
                if (i + j > x[0] + x[1]) {
                    above += joint;
                } else if (i + j == x[0] + x[1]) {
                    at += joint;
                }
            }
        }
        assertEquals(above + at, StratifiedFlagTest.upperTail(x, n, f, m), 1e-13);
        assertEquals(above + at / 2, StratifiedFlagTest.upperMidP(x, n, f, m), 1e-13);
        // A stratum without reference events adds its window's flags to both S and its observed value.
        assertEquals(above + at, StratifiedFlagTest.upperTail(new long[] {6, 9, 4}, new long[] {80, 50, 10},
                new long[] {30, 40, 0}, new long[] {900, 400, 0}), 1e-13);
    }

    @Test
    void nothingFlaggedIsNoEvidence() {
        long[] zero = {0, 0};
        assertEquals(1.0, StratifiedFlagTest.upperTail(zero, new long[] {100, 50}, zero, new long[] {1000, 10}));
        assertEquals(0.5, StratifiedFlagTest.upperMidP(zero, new long[] {100, 50}, zero, new long[] {1000, 10}));
        assertEquals(1.0, StratifiedFlagTest.upperTail(new long[0], new long[0], new long[0], new long[0]));
    }

    @Test
    void holdsItsSizeWhereStrataDifferInRateAndMixAndItsMidPAveragesOneHalf() {
        // Rates 0.01 and 0.03; the window holds 60 % of the high-rate stratum, the reference 20 %, so
        // pooling the strata would flag the window. Conditional on the margins the mid-p has mean 1/2
        // and variance (1 - sum P^3) / 12 <= 1/12.
        int trials = 4_000;
        Trials t = trials(trials, new double[] {0.01, 0.03}, new double[] {0.01, 0.03}, 29L);
        int upper = SamplingTolerance.binomialUpper(trials, LEVEL, EPS);
        assertTrue(t.rejected <= upper, t.rejected + " of " + trials + " rejected at " + LEVEL + ", at most " + upper);
        double z = new NormalDistribution().inverseCumulativeProbability(1 - EPS);
        double tolerance = z * Math.sqrt(1.0 / 12 / trials);
        assertEquals(0.5, t.midPSum / trials, tolerance, "mean mid-p of " + trials + " trials");
    }

    @Test
    void detectsADoubledRateInOneStratum() {
        int trials = 500;
        Trials t = trials(trials, new double[] {0.01, 0.06}, new double[] {0.01, 0.03}, 31L);
        assertTrue(t.rejected > 0.9 * trials, t.rejected + " of " + trials + " rejected at " + LEVEL);
    }

    @Test
    void rejectsInconsistentCounts() {
        long[] one = {1};
        assertThrows(IllegalArgumentException.class,
                () -> StratifiedFlagTest.upperTail(one, new long[] {5, 5}, one, new long[] {5}));
        assertThrows(IllegalArgumentException.class,
                () -> StratifiedFlagTest.upperTail(new long[] {-1}, new long[] {5}, one, new long[] {5}));
        assertThrows(IllegalArgumentException.class,
                () -> StratifiedFlagTest.upperTail(new long[] {6}, new long[] {5}, one, new long[] {5}));
        assertThrows(IllegalArgumentException.class,
                () -> StratifiedFlagTest.upperMidP(one, new long[] {5}, new long[] {6}, new long[] {5}));
        assertThrows(IllegalArgumentException.class, () -> StratifiedFlagTest.upperTail(new long[] {10},
                new long[] {10}, new long[] {StratifiedFlagTest.MAX_FLAGGED}, new long[] {StratifiedFlagTest.MAX_FLAGGED}));
    }

    /** Rejections at LEVEL and the sum of mid-p values over seeded trials with windows n = (800, 1200), references m = (20000, 5000). */
    private static Trials trials(int trials, double[] windowRates, double[] referenceRates, long seed) {
        long[] n = {800, 1200};
        long[] m = {20_000, 5_000};
        SplittableRandom random = new SplittableRandom(seed);
        BinomialSampler[] window = new BinomialSampler[2];
        BinomialSampler[] reference = new BinomialSampler[2];
        for (int s = 0; s < 2; s++) {
            window[s] = new BinomialSampler((int) n[s], windowRates[s], random);
            reference[s] = new BinomialSampler((int) m[s], referenceRates[s], random);
        }
        Trials t = new Trials();
        long[] x = new long[2];
        long[] f = new long[2];
        for (int i = 0; i < trials; i++) {
            for (int s = 0; s < 2; s++) {
                x[s] = window[s].next();
                f[s] = reference[s].next();
            }
            if (StratifiedFlagTest.upperTail(x, n, f, m) <= LEVEL) {
                t.rejected++;
            }
            t.midPSum += StratifiedFlagTest.upperMidP(x, n, f, m);
        }
        return t;
    }

    private static final class Trials {
        int rejected;
        double midPSum;
    }

    private static HypergeometricDistribution hypergeometric(long n, long m, long t) {
        return new HypergeometricDistribution((int) (n + m), (int) t, (int) n);
    }
}
