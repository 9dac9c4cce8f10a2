package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.calibrate.SamplingTolerance;

/**
 * Benjamini-Hochberg and Bonferroni on the published example, NaN as "not tested", and the
 * family-wise error rate under the global null by simulation (exact binomial bounds, 1e-6).
 */
class CorrectionTest {

    /** The 15 p-values of Benjamini and Hochberg (1995), section 4 (Neuhaus et al.'s thrombolysis study). */
    private static final double[] BH_1995 = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
        0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};

    @Test
    void benjaminiHochbergRejectsTheFourSmallestOfThePaperAtFivePercent() {
        double[] adjusted = Correction.BENJAMINI_HOCHBERG.adjust(BH_1995);
        // min over j >= i of 15 p_(j) / j: 0.0015, 0.003, 0.0095, 0.035625, then 0.0603 and above.
        assertEquals(0.0015, adjusted[0], 1e-12);
        assertEquals(0.003, adjusted[1], 1e-12);
        assertEquals(0.0095, adjusted[2], 1e-12);
        assertEquals(0.035625, adjusted[3], 1e-12);
        assertEquals(0.0603, adjusted[4], 1e-12);
        // p_(6) = 0.0278 takes the smaller 15 x 0.0298 / 7 of the step after it.
        assertEquals(15 * 0.0298 / 7, adjusted[5], 1e-12);
        assertEquals(1.0, adjusted[14], 1e-12);
        assertEquals(4, countAtMost(adjusted, 0.05));
    }

    @Test
    void bonferroniRejectsTheThreeBelowQOverM() {
        double[] adjusted = Correction.BONFERRONI.adjust(BH_1995);
        assertEquals(0.0015, adjusted[0], 1e-12);
        assertEquals(0.0285, adjusted[2], 1e-12);
        assertEquals(0.1425, adjusted[3], 1e-12);
        assertEquals(1.0, adjusted[9], 1e-12);
        assertEquals(3, countAtMost(adjusted, 0.05));
    }

    @Test
    void orderOfTheInputDoesNotMatterAndNaNIsLeftOut() {
        double[] shuffled = {0.3240, 0.0001, Double.NaN, 0.0095, 0.0004, 0.0019};
        double[] adjusted = Correction.BENJAMINI_HOCHBERG.adjust(shuffled);
        // m = 5: 0.0001 x 5 = 0.0005, 0.0004 x 5 / 2 = 0.001, 0.0019 x 5 / 3, 0.0095 x 5 / 4, 0.324.
        assertArrayEquals(new double[] {0.324, 0.0005, Double.NaN, 0.011875, 0.001, 0.0019 * 5 / 3}, adjusted, 1e-12);
        assertArrayEquals(new double[] {1.0, 0.0005, Double.NaN, 0.0475, 0.002, 0.0095},
                Correction.BONFERRONI.adjust(shuffled), 1e-12);
        assertEquals(0, Correction.BENJAMINI_HOCHBERG.adjust(new double[0]).length);
        assertTrue(Double.isNaN(Correction.BONFERRONI.adjust(new double[] {Double.NaN})[0]));
    }

    @Test
    void underTheGlobalNullAnyRejectionHappensWithProbabilityQ() {
        // m independent uniform p-values, all nulls true: BH rejects any with probability exactly q
        // (FDR = P(V >= 1) = q m0 / m), Bonferroni with 1 - (1 - q/m)^m, and its V is Binomial(m, q/m).
        int m = 50;
        int trials = 10_000;
        double q = 0.05;
        SplittableRandom random = new SplittableRandom(1995L);
        int bhAny = 0;
        int bonferroniAny = 0;
        int bonferroniRejections = 0;
        double[] p = new double[m];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < m; i++) {
                p[i] = random.nextDouble();
            }
            bhAny += countAtMost(Correction.BENJAMINI_HOCHBERG.adjust(p), q) > 0 ? 1 : 0;
            int v = countAtMost(Correction.BONFERRONI.adjust(p), q);
            bonferroniAny += v > 0 ? 1 : 0;
            bonferroniRejections += v;
        }
        assertWithin(bhAny, trials, q, "BH trials with a rejection");
        assertWithin(bonferroniAny, trials, 1 - Math.pow(1 - q / m, m), "Bonferroni trials with a rejection");
        assertWithin(bonferroniRejections, trials * m, q / m, "Bonferroni rejections");
    }

    private static int countAtMost(double[] values, double q) {
        return (int) Arrays.stream(values).filter(v -> v <= q).count();
    }

    private static void assertWithin(int count, int trials, double probability, String what) {
        int lower = SamplingTolerance.binomialLower(trials, probability, 1e-6);
        int upper = SamplingTolerance.binomialUpper(trials, probability, 1e-6);
        assertTrue(count >= lower && count <= upper, what + ": " + count + " of " + trials + ", accepted [" + lower
                + ", " + upper + "]");
    }
}
