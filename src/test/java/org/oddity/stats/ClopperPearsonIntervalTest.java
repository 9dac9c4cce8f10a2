package org.oddity.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/** Clopper-Pearson bounds against closed forms and published values, and their exact coverage. */
class ClopperPearsonIntervalTest {

    @Test
    void edgesHaveClosedForms() {
        // k = 0: upper = 1 - (a/2)^(1/n); k = n: lower = (a/2)^(1/n).
        ClopperPearsonInterval none = ClopperPearsonInterval.of(0, 10, 0.95);
        assertEquals(0.0, none.lower());
        assertEquals(1.0 - Math.pow(0.025, 0.1), none.upper(), 1e-12);
        ClopperPearsonInterval all = ClopperPearsonInterval.of(10, 10, 0.95);
        assertEquals(Math.pow(0.025, 0.1), all.lower(), 1e-12);
        assertEquals(1.0, all.upper());
    }

    @Test
    void matchesPublishedValues() {
        // 5 of 10 at 95%: [0.187086, 0.812914] (Clopper and Pearson's charts; R binom.test).
        ClopperPearsonInterval half = ClopperPearsonInterval.of(5, 10, 0.95);
        assertEquals(0.187086, half.lower(), 1e-6);
        assertEquals(0.812914, half.upper(), 1e-6);
    }

    @Test
    void aLargeCountIsAboutPlusOrMinusOneSigma() {
        // 10,000 of 10^6 at 68.27%: the normal approximation 0.01 +- 9.95e-5 holds to a few percent of sigma.
        ClopperPearsonInterval interval = ClopperPearsonInterval.of(10_000, 1_000_000, ClopperPearsonInterval.ONE_SIGMA);
        double sigma = Math.sqrt(0.01 * 0.99 / 1e6);
        assertEquals(0.01 - sigma, interval.lower(), 0.03 * sigma);
        assertEquals(0.01 + sigma, interval.upper(), 0.03 * sigma);
    }

    @Test
    void coversTheTrueRateAtLeastAtItsConfidence() {
        for (double rate : new double[] {1e-3, 0.01, 0.3}) {
            int n = 2000;
            BinomialDistribution binomial = new BinomialDistribution(null, n, rate);
            double coverage = 0.0;
            for (int k = 0; k <= n; k++) {
                if (ClopperPearsonInterval.of(k, n, ClopperPearsonInterval.ONE_SIGMA).contains(rate)) {
                    coverage += binomial.probability(k);
                }
            }
            assertTrue(coverage >= ClopperPearsonInterval.ONE_SIGMA && coverage < 0.80, rate + ": " + coverage);
        }
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> ClopperPearsonInterval.of(3, 2, 0.95));
        assertThrows(IllegalArgumentException.class, () -> ClopperPearsonInterval.of(0, 0, 0.95));
        assertThrows(IllegalArgumentException.class, () -> ClopperPearsonInterval.of(1, 2, 1.0));
    }
}
