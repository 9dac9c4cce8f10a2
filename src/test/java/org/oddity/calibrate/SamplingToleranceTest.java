package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.oddity.stats.KolmogorovSmirnov;

/**
 * The tolerance helpers against values known in closed form or from published tables, so that
 * a wrong helper cannot make the statistical tests pass vacuously.
 */
class SamplingToleranceTest {

    @Test
    void binomialBoundsMatchExactTailsOfBinomialTenHalf() {
        // Binomial(10, 1/2): P(X > 8) = 11/1024 = 0.0107, P(X > 7) = 56/1024 = 0.0547.
        assertEquals(8, SamplingTolerance.binomialUpper(10, 0.5, 0.05));
        assertEquals(7, SamplingTolerance.binomialUpper(10, 0.5, 0.06));
        // Symmetric: P(X < 2) = 11/1024 <= 0.05, P(X < 3) = 56/1024 > 0.05.
        assertEquals(2, SamplingTolerance.binomialLower(10, 0.5, 0.05));
        assertEquals(3, SamplingTolerance.binomialLower(10, 0.5, 0.06));
        // P(X > 9) = P(X = 10) = 1/1024 = 9.77e-4.
        assertEquals(9, SamplingTolerance.binomialUpper(10, 0.5, 1e-3));
        assertEquals(10, SamplingTolerance.binomialUpper(10, 0.5, 9e-4));
    }

    @Test
    void binomialPmfSumsToOneAndBoundsBracketTheMean() {
        double[] logPmf = SamplingTolerance.binomialLogPmf(20_000, 0.01);
        double sum = 0.0;
        double mean = 0.0;
        for (int k = 0; k < logPmf.length; k++) {
            sum += Math.exp(logPmf[k]);
            mean += k * Math.exp(logPmf[k]);
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals(200.0, mean, 1e-6);
        int upper = SamplingTolerance.binomialUpper(20_000, 0.01, 1e-6);
        int lower = SamplingTolerance.binomialLower(20_000, 0.01, 1e-6);
        // Normal approximation: 200 +- 4.75 sd (sd = 14.07), skewed slightly upwards.
        assertTrue(upper > 200 + 4.5 * 14.07 && upper < 200 + 5.5 * 14.07, "upper " + upper);
        assertTrue(lower < 200 - 4.2 * 14.07 && lower > 200 - 5.2 * 14.07, "lower " + lower);
    }

    @Test
    void kolmogorovCriticalValuesMatchTheTable() {
        // Asymptotic critical values of sqrt(n) D: 1.3581 at 5%, 1.6276 at 1%, 1.9495 at 0.1%.
        assertEquals(1.3581, SamplingTolerance.kolmogorovCritical(0.05), 1e-4);
        assertEquals(1.6276, SamplingTolerance.kolmogorovCritical(0.01), 1e-4);
        assertEquals(1.9495, SamplingTolerance.kolmogorovCritical(0.001), 1e-4);
        double at1e4 = SamplingTolerance.kolmogorovCritical(1e-4);
        assertEquals(1e-4, KolmogorovSmirnov.kolmogorovSurvival(at1e4), 1e-10);
        // The second term, exp(-8 x^2) ~ 1e-17, is negligible: x = sqrt(ln(2 / 1e-4) / 2) = 2.22525.
        assertEquals(Math.sqrt(Math.log(2e4) / 2.0), at1e4, 1e-9);
    }
}
