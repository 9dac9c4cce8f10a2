package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Exact conformal p-values of small calibration sets, ties included, and properties checked
 * against brute-force counting over many random sets: the threshold form of the test agrees with
 * the p-value form at every score, the randomized p-value lies between its bounds, and a union
 * is the sorted concatenation.
 */
class CalibrationSetTest {

    /** n = 5 with a tie at 2; n + 1 = 6. */
    private static final CalibrationSet SMALL = CalibrationSet.of(new double[] {3, 2, 5, 1, 2});

    @Test
    void leaveOneOutPValuesCountTheOtherScoresOnly() {
        CalibrationSet set = CalibrationSet.of(new double[] {3, 2, 1, 2});
        // Against the other three: 3 has none at least as high, so (1 + 0) / 4; each 2 has the other 2 and the 3.
        assertEquals(0.25, set.leaveOneOutPValue(3), 0.0);
        assertEquals(0.75, set.leaveOneOutPValue(2), 0.0);
        assertEquals(1.0, set.leaveOneOutPValue(1), 0.0);
        // Randomized, for a 2: one score above, one other tie, (1 + U (1 + 1)) / 4.
        assertEquals((1 + 0.5 * 2) / 4.0, set.randomizedLeaveOneOutPValue(2, 0.5), 0.0);
        assertEquals(0.25 * 0.3, set.randomizedLeaveOneOutPValue(3, 0.3), 1e-15);
        assertEquals(1.0, CalibrationSet.of(new double[] {5}).leaveOneOutPValue(5), 0.0);
    }

    @Test
    void conservativePValuesOfASmallSetWithTies() {
        assertEquals(5, SMALL.size());
        assertArrayEquals(new double[] {1, 2, 2, 3, 5}, SMALL.sortedScores());
        assertEquals(6.0 / 6.0, SMALL.pValue(0.0));
        assertEquals(6.0 / 6.0, SMALL.pValue(1.0));
        assertEquals(5.0 / 6.0, SMALL.pValue(1.5));
        // Both tied scores count against an event scoring 2.
        assertEquals(5.0 / 6.0, SMALL.pValue(2.0));
        assertEquals(3.0 / 6.0, SMALL.pValue(2.5));
        assertEquals(3.0 / 6.0, SMALL.pValue(3.0));
        assertEquals(2.0 / 6.0, SMALL.pValue(5.0));
        assertEquals(1.0 / 6.0, SMALL.pValue(5.0001));
        assertEquals(1.0 / 6.0, SMALL.pValue(Double.POSITIVE_INFINITY));
        assertEquals(6.0 / 6.0, SMALL.pValue(Double.NEGATIVE_INFINITY));
        assertEquals(1.0 / 6.0, SMALL.minimumPValue());
    }

    @Test
    void randomizedPValuesOfASmallSetWithTies() {
        // Score 2: two above (3, 5), two ties; p = (2 + U (2 + 1)) / 6.
        assertEquals(2.0 / 6.0, SMALL.randomizedPValue(2.0, 0.0));
        assertEquals(3.5 / 6.0, SMALL.randomizedPValue(2.0, 0.5));
        assertEquals(4.25 / 6.0, SMALL.randomizedPValue(2.0, 0.75));
        // Score 2.5: no tie; p = (2 + U) / 6.
        assertEquals(2.5 / 6.0, SMALL.randomizedPValue(2.5, 0.5));
        // Above every score: p = U / 6, down to 0.
        assertEquals(0.0, SMALL.randomizedPValue(9.0, 0.0));
        assertEquals(0.1 / 6.0, SMALL.randomizedPValue(9.0, 0.1), 1e-17);
        // Below every score: p = (5 + U) / 6.
        assertEquals(5.9 / 6.0, SMALL.randomizedPValue(0.0, 0.9), 1e-15);
    }

    @Test
    void thresholdsOfASmallSet() {
        // alpha = 1/6: only k = 0 scores may be >= s, so s must beat the largest score.
        assertEquals(5.0, SMALL.threshold(1.0 / 6.0));
        assertEquals(5.0, SMALL.threshold(0.2));
        // alpha = 1/2: k = 2, the third largest score is 2.
        assertEquals(2.0, SMALL.threshold(0.5));
        assertEquals(3.0, SMALL.threshold(Math.nextDown(0.5)));
        // alpha = 0.99: k = 4, s must beat the smallest score.
        assertEquals(1.0, SMALL.threshold(0.99));
        assertEquals(Double.POSITIVE_INFINITY, SMALL.threshold(Math.nextDown(1.0 / 6.0)));
        assertEquals(Double.POSITIVE_INFINITY, SMALL.threshold(1e-9));
    }

    @Test
    void emptySetGivesPValueOneAndNoReachableThreshold() {
        CalibrationSet empty = CalibrationSet.of(new double[0]);
        assertEquals(0, empty.size());
        assertEquals(1.0, empty.pValue(123.0));
        assertEquals(1.0, empty.minimumPValue());
        assertEquals(Double.POSITIVE_INFINITY, empty.threshold(0.5));
    }

    @Test
    void nanScoresAreRejectedAndInputIsCopied() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationSet.of(new double[] {1.0, Double.NaN, 2.0}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        double[] input = {3.0, 1.0, 2.0};
        CalibrationSet set = CalibrationSet.of(input);
        input[0] = -100.0;
        assertArrayEquals(new double[] {1.0, 2.0, 3.0}, set.sortedScores());
        set.sortedScores()[0] = 99.0;
        assertArrayEquals(new double[] {1.0, 2.0, 3.0}, set.sortedScores());
    }

    @Test
    void minimumPValueIsOneOverNPlusOne() {
        assertEquals(1.0 / 1000.0, CalibrationSet.of(new double[999]).minimumPValue());
        assertEquals(1.0 / 10_000.0, CalibrationSet.of(new double[9_999]).minimumPValue());
        // The largest score reaches it; a tie at the largest score does not.
        double[] scores = new double[99];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i;
        }
        CalibrationSet set = CalibrationSet.of(scores);
        assertEquals(0.01, set.pValue(98.5));
        assertEquals(0.02, set.pValue(98.0));
    }

    /** Scores at, between, below and above the calibration values. */
    private static double[] probes(double[] scores) {
        List<Double> probes = new ArrayList<>(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                -1e300, 1e300, -0.0, 0.0));
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            probes.add(sorted[i]);
            probes.add(Math.nextUp(sorted[i]));
            probes.add(Math.nextDown(sorted[i]));
            if (i + 1 < sorted.length && Double.isFinite(sorted[i]) && Double.isFinite(sorted[i + 1])) {
                probes.add(0.5 * (sorted[i] + sorted[i + 1]));
            }
        }
        if (sorted.length > 0 && Double.isFinite(sorted[0])) {
            probes.add(sorted[0] - 1.0);
            probes.add(sorted[sorted.length - 1] + 1.0);
        }
        return probes.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int countAtLeast(double[] scores, double s) {
        int c = 0;
        for (double v : scores) {
            if (v >= s) {
                c++;
            }
        }
        return c;
    }

    private static int countAbove(double[] scores, double s) {
        int c = 0;
        for (double v : scores) {
            if (v > s) {
                c++;
            }
        }
        return c;
    }

    @Test
    void pValueMatchesBruteForceCount() {
        SplittableRandom random = new SplittableRandom(11);
        int checked = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            double[] scores = RandomScoreSets.draw(random, 60);
            CalibrationSet set = CalibrationSet.of(scores);
            for (double s : probes(scores)) {
                assertEquals((1.0 + countAtLeast(scores, s)) / (1.0 + scores.length), set.pValue(s),
                        () -> "s=" + s + " in " + Arrays.toString(scores));
                checked++;
            }
        }
        assertTrue(checked > 100_000, "checked " + checked);
    }

    /**
     * Sets large enough for the bucket index to have many buckets, including uneven ones (heavy
     * tails, a far outlier, heavy ties), against a plain linear count.
     */
    @Test
    void indexedLookupMatchesBruteForceOnLargeSets() {
        SplittableRandom random = new SplittableRandom(23);
        for (int kind = 0; kind < 4; kind++) {
            int n = 5_000;
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                scores[i] = switch (kind) {
                    case 0 -> random.nextGaussian();
                    case 1 -> random.nextInt(0, 40) * 0.25;
                    case 2 -> Math.pow(-Math.log(1 - u), 3);
                    default -> i == 0 ? 1e9 : -Math.log(1 - u);
                };
            }
            CalibrationSet set = CalibrationSet.of(scores);
            for (double s : probes(scores)) {
                int atLeast = countAtLeast(scores, s);
                int above = countAbove(scores, s);
                assertEquals((1.0 + atLeast) / (1.0 + n), set.pValue(s), "kind " + kind + " s=" + s);
                assertEquals((above + 0.5 * (atLeast - above + 1.0)) / (1.0 + n), set.randomizedPValue(s, 0.5),
                        "kind " + kind + " s=" + s);
            }
        }
    }

    @Test
    void thresholdIsEquivalentToThePValueTest() {
        SplittableRandom random = new SplittableRandom(12);
        int checked = 0;
        for (int trial = 0; trial < 1_000; trial++) {
            double[] scores = RandomScoreSets.draw(random, 60);
            CalibrationSet set = CalibrationSet.of(scores);
            int n = scores.length;
            List<Double> alphas = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                alphas.add(random.nextDouble());
            }
            alphas.addAll(List.of(1e-6, 0.001, 0.01, 0.1, 0.5, 0.999));
            // Exactly reachable p-values and their floating-point neighbours.
            for (int k = 1; k <= n + 1; k++) {
                double reachable = k / (n + 1.0);
                alphas.addAll(List.of(reachable, Math.nextUp(reachable), Math.nextDown(reachable)));
            }
            double[] probes = probes(scores);
            for (double alpha : alphas) {
                if (!(alpha > 0.0 && alpha < 1.0)) {
                    continue;
                }
                double threshold = set.threshold(alpha);
                for (double s : probes) {
                    boolean byP = set.pValue(s) <= alpha;
                    boolean byThreshold = s > threshold;
                    if (byP != byThreshold) {
                        throw new AssertionError("alpha=" + alpha + " s=" + s + ": pValue=" + set.pValue(s)
                                + " threshold=" + threshold + " in " + Arrays.toString(scores));
                    }
                    checked++;
                }
                if (alpha < set.minimumPValue()) {
                    assertEquals(Double.POSITIVE_INFINITY, threshold, "alpha=" + alpha + " n=" + n);
                }
            }
        }
        assertTrue(checked > 500_000, "checked " + checked);
    }

    @Test
    void randomizedPValueLiesBetweenItsBoundsAndReachesTheConservativeOne() {
        SplittableRandom random = new SplittableRandom(13);
        for (int trial = 0; trial < 1_000; trial++) {
            double[] scores = RandomScoreSets.draw(random, 60);
            CalibrationSet set = CalibrationSet.of(scores);
            double n1 = scores.length + 1.0;
            for (double s : probes(scores)) {
                int above = countAbove(scores, s);
                int ties = countAtLeast(scores, s) - above;
                double low = above / n1;
                double high = (above + ties + 1) / n1;
                assertEquals(low, set.randomizedPValue(s, 0.0), 1e-15);
                double u = random.nextDouble();
                double p = set.randomizedPValue(s, u);
                assertTrue(p >= low && p <= high, p + " outside [" + low + ", " + high + "]");
                assertEquals(low + u * (ties + 1) / n1, p, 1e-12);
                assertTrue(set.randomizedPValue(s, Math.min(u, 0.5)) <= set.randomizedPValue(s, Math.max(u, 0.5)));
                // The conservative p is the u -> 1 limit.
                assertEquals(high, set.pValue(s), 1e-15);
                assertEquals(set.pValue(s), set.randomizedPValue(s, Math.nextDown(1.0)), 1e-12);
            }
        }
    }

    @Test
    void unionEqualsTheSortedConcatenation() {
        SplittableRandom random = new SplittableRandom(14);
        for (int trial = 0; trial < 500; trial++) {
            List<CalibrationSet> parts = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            int count = random.nextInt(0, 6);
            for (int i = 0; i < count; i++) {
                double[] scores = RandomScoreSets.draw(random, 60);
                parts.add(CalibrationSet.of(scores));
                for (double s : scores) {
                    all.add(s);
                }
            }
            double[] expected = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            CalibrationSet union = CalibrationSet.union(parts);
            assertEquals(expected.length, union.size());
            assertArrayEquals(expected, union.sortedScores());
            for (double s : probes(expected)) {
                assertEquals((1.0 + countAtLeast(expected, s)) / (1.0 + expected.length), union.pValue(s));
            }
        }
    }
}
