package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * The CUSUM's run lengths: the Markov-chain values against published ones, simulated charts
 * against the Markov chain's run-length distribution, and the default chart's in-control and
 * detection behaviour.
 *
 * <p>Each simulation runs R independent charts from S = 0 and counts those that signal within t
 * windows: exactly Binomial(R, P(RL <= t)), with P(RL <= t) from {@link CusumRunLength}. Counts
 * must lie within the exact binomial bounds at tail mass 1e-6 of {@link SamplingTolerance}.
 */
class CusumTest {

    private static final double EPS = 1e-6;
    private static final double K = 0.5;
    private static final double DEFAULT_H = MonitorSettings.defaults().cusumH();

    @Test
    void markovChainGivesThePublishedRunLengths() {
        // One-sided CUSUM, k = 0.5 (Hawkins and Olwell, Cumulative Sum Charts and Charting for Quality
        // Improvement, 1998, table 3.1; Montgomery's two-sided 168 and 465 are half of these):
        // h = 4: ARL 336 in control, 8.38 at a 1-sigma shift; h = 5: 930 and 10.4.
        assertEquals(336, new CusumRunLength(K, 4, 0).averageRunLength(), 1.0);
        assertEquals(8.38, new CusumRunLength(K, 4, 1).averageRunLength(), 0.01);
        assertEquals(930, new CusumRunLength(K, 5, 0).averageRunLength(), 2.0);
        assertEquals(10.38, new CusumRunLength(K, 5, 1).averageRunLength(), 0.01);
    }

    @Test
    void defaultChartRunsAboutAMillionWindowsInControlAndSignalsAOneSigmaShiftInTwentyFour() {
        // The figures the WindowMonitor and Cusum Javadoc state.
        assertEquals(1.04e6, new CusumRunLength(K, DEFAULT_H, 0).averageRunLength(), 0.01e6);
        assertEquals(24.4, new CusumRunLength(K, DEFAULT_H, 1).averageRunLength(), 0.05);
        assertEquals(173, new CusumRunLength(K, DEFAULT_H, 0.5).averageRunLength(), 0.5);
        assertEquals(8.7, new CusumRunLength(K, DEFAULT_H, 2).averageRunLength(), 0.05);
    }

    @Test
    void simulatedInControlRunLengthsFollowTheMarkovChain() {
        for (double h : new double[] {4, 5}) {
            CusumRunLength chain = new CusumRunLength(K, h, 0);
            int t = (int) Math.round(chain.averageRunLength());
            SplittableRandom random = new SplittableRandom(20_240_601L + (long) h);
            assertSignalledWithinBounds(4_000, t, h, chain.signalledWithin(t), random::nextGaussian);
        }
    }

    @Test
    void defaultChartRarelySignalsInControl() {
        // P(RL <= 2000) = 0.0019: about 4 of 2000 charts over 2000 windows (13 hours of lumisections).
        CusumRunLength chain = new CusumRunLength(K, DEFAULT_H, 0);
        double q = chain.signalledWithin(2_000);
        assertEquals(0.0019, q, 0.0001);
        SplittableRandom random = new SplittableRandom(7L);
        assertSignalledWithinBounds(2_000, 2_000, DEFAULT_H, q, random::nextGaussian);
    }

    @Test
    void defaultChartDetectsAOneSigmaShiftWithTheMarkovChainsDelay() {
        CusumRunLength chain = new CusumRunLength(K, DEFAULT_H, 1.0);
        SplittableRandom random = new SplittableRandom(11L);
        for (int t : new int[] {20, 24, 30}) {
            assertSignalledWithinBounds(4_000, t, DEFAULT_H, chain.signalledWithin(t), () -> 1.0 + random.nextGaussian());
        }
    }

    @Test
    void midPScoresOfBinomialFlagCountsSignalNoMoreOftenThanNormalScores() {
        // Flag counts are discrete; the normal score of their mid-p value is a little under-dispersed,
        // so the chart signals no sooner than on N(0, 1) scores: one-sided bound at the normal law.
        double h = 4;
        CusumRunLength chain = new CusumRunLength(K, h, 0);
        int t = (int) Math.round(chain.averageRunLength());
        double q = chain.signalledWithin(t);
        int charts = 4_000;
        int upper = SamplingTolerance.binomialUpper(charts, q, EPS);
        for (double[] design : new double[][] {{3_000, 1e-2}, {30_000, 1e-4}, {3_000, 1e-4}}) {
            int n = (int) design[0];
            double alpha = design[1];
            BinomialSampler flags = new BinomialSampler(n, alpha, new SplittableRandom(n + (long) (1 / alpha)));
            double[] scoreOf = new double[n + 1];
            Arrays.fill(scoreOf, Double.NaN);
            int signalled = signalledWithin(charts, t, h, () -> {
                int x = flags.next();
                if (Double.isNaN(scoreOf[x])) {
                    scoreOf[x] = Cusum.score(BinomialTest.upperMidP(x, n, alpha));
                }
                return scoreOf[x];
            });
            assertTrue(signalled <= upper, "n=" + n + " alpha=" + alpha + ": " + signalled + " of " + charts
                    + " charts signalled within " + t + " windows, at most " + upper + " allowed");
        }
    }

    @Test
    void sumIsPagesRecursionCappedAtTwiceH() {
        Cusum chart = new Cusum(0.5, 4);
        assertFalse(chart.add(1.5));
        assertEquals(1.0, chart.sum(), 1e-12);
        chart.add(-3.0);
        assertEquals(0.0, chart.sum(), 1e-12);
        chart.add(Double.NaN);
        assertEquals(0.0, chart.sum(), 1e-12);
        assertFalse(chart.add(4.5));
        assertEquals(4.0, chart.sum(), 1e-12);
        assertTrue(chart.add(0.6));
        assertEquals(4.1, chart.sum(), 1e-12);
        chart.add(100.0);
        assertEquals(8.0, chart.sum(), 1e-12);
        chart.reset();
        assertEquals(0.0, chart.sum(), 1e-12);
        assertFalse(chart.signalling());
    }

    @Test
    void scoreIsTheNormalQuantileOfOneMinusP() {
        assertEquals(0.0, Cusum.score(0.5), 1e-12);
        assertEquals(1.959964, Cusum.score(0.025), 1e-6);
        assertEquals(-1.644854, Cusum.score(0.95), 1e-6);
        // Clamped at p = 1e-15: Phi^-1(1 - 1e-15) = 7.941345.
        assertEquals(7.941345, Cusum.score(0.0), 1e-3);
        assertEquals(Cusum.score(1e-15), Cusum.score(1e-300), 1e-12);
        assertTrue(Double.isNaN(Cusum.score(Double.NaN)));
    }

    private static void assertSignalledWithinBounds(int charts, int t, double h, double q, DoubleSupplier z) {
        int signalled = signalledWithin(charts, t, h, z);
        int lower = SamplingTolerance.binomialLower(charts, q, EPS);
        int upper = SamplingTolerance.binomialUpper(charts, q, EPS);
        assertTrue(signalled >= lower && signalled <= upper, "h=" + h + ": " + signalled + " of " + charts
                + " charts signalled within " + t + " windows, expected " + charts * q + " in [" + lower + ", " + upper + "]");
    }

    private static int signalledWithin(int charts, int t, double h, DoubleSupplier z) {
        int signalled = 0;
        for (int c = 0; c < charts; c++) {
            Cusum chart = new Cusum(K, h);
            for (int step = 0; step < t; step++) {
                if (chart.add(z.getAsDouble())) {
                    signalled++;
                    break;
                }
            }
        }
        return signalled;
    }
}
