package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.stats.KolmogorovSmirnov;

/**
 * The stated error of {@link SketchCalibration}, tested statistically: at p near alpha = 1e-2,
 * 1e-3 and 1e-4, over seeded trials of n = 10^5 and 10^6 exchangeable scores, the relative error
 * |p' - p| / p of the sketch's p-value exceeds 2 and 3 times its stated relative standard error
 * eps no more often than a normal error would (4.55% and 0.27% of trials), and is 0 where eps is;
 * and the conformal guarantee survives the sketch: an exchangeable event gets p' <= alpha with
 * probability at most alpha / (1 - 3 eps) + 0.27%, and the randomized p' is uniform.
 *
 * <p>Every trial draws fresh scores, so the number of trials whose error exceeds z eps is
 * Binomial(T, q) with q at most the stated two-sided normal tail; it is accepted below the exact
 * binomial bound of {@link SamplingTolerance} at tail mass 1e-6. The sketch compares scores only,
 * so the law of its error on exchangeable continuous scores does not depend on their
 * distribution: exponential scores stand for all of them, and put the tail of p = alpha at
 * -log(alpha). All draws use fixed seeds, so the outcome is the same on every run.
 */
class SketchCalibrationAccuracyTest {

    private static final double[] ALPHAS = {1e-2, 1e-3, 1e-4};
    private static final double EPS = 1e-6;
    /** P(|Z| > 2) and P(|Z| > 3) for a standard normal Z. */
    private static final double BEYOND_2_SIGMA = 0.0455002638963584;
    private static final double BEYOND_3_SIGMA = 0.0026997960632601;

    /** Relative errors of the trials of one (n, k, alpha), and the bound stated for each. */
    private static final class Errors {
        final List<Double> relative = new ArrayList<>();
        final List<Double> stated = new ArrayList<>();

        void add(double sketchP, double exactP, double rse) {
            relative.add(Math.abs(sketchP - exactP) / exactP);
            stated.add(rse);
        }

        /** Trials whose error exceeds z times the stated standard error; with a stated 0, any error. */
        int beyond(double z) {
            int count = 0;
            for (int i = 0; i < relative.size(); i++) {
                if (relative.get(i) > z * stated.get(i)) {
                    count++;
                }
            }
            return count;
        }

        boolean allExact() {
            return stated.stream().allMatch(e -> e == 0.0);
        }

        double rms() {
            return Math.sqrt(relative.stream().mapToDouble(e -> e * e).average().orElse(0));
        }
    }

    /** n exponential scores, and for each alpha the exact p-value of an event scoring -log(alpha). */
    private static double[] scores(SplittableRandom random, int n) {
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = -Math.log(1.0 - random.nextDouble());
        }
        return scores;
    }

    private static double exactPValue(double[] scores, double s) {
        int atLeast = 0;
        for (double v : scores) {
            if (v >= s) {
                atLeast++;
            }
        }
        return (1.0 + atLeast) / (1.0 + scores.length);
    }

    private static void record(Errors[] errors, SketchCalibration sketch, double[] scores) {
        for (int a = 0; a < ALPHAS.length; a++) {
            double s = -Math.log(ALPHAS[a]);
            double exact = exactPValue(scores, s);
            errors[a].add(sketch.pValue(s), exact, sketch.relativeStandardError(exact));
        }
    }

    private static Errors[] errors() {
        Errors[] errors = new Errors[ALPHAS.length];
        for (int a = 0; a < ALPHAS.length; a++) {
            errors[a] = new Errors();
        }
        return errors;
    }

    /** Failures of the stated bound for each alpha, in words. */
    private static List<String> check(String what, Errors[] errors) {
        List<String> failures = new ArrayList<>();
        for (int a = 0; a < ALPHAS.length; a++) {
            Errors e = errors[a];
            int trials = e.relative.size();
            String where = what + " alpha=" + ALPHAS[a] + " (rms relative error " + e.rms() + ")";
            if (e.allExact()) {
                if (e.beyond(0) > 0) {
                    failures.add(where + ": stated exact, but " + e.beyond(0) + " of " + trials + " trials erred");
                }
                continue;
            }
            int upper2 = SamplingTolerance.binomialUpper(trials, BEYOND_2_SIGMA, EPS);
            int upper3 = SamplingTolerance.binomialUpper(trials, BEYOND_3_SIGMA, EPS);
            if (e.beyond(2) > upper2) {
                failures.add(where + ": " + e.beyond(2) + " of " + trials + " trials beyond 2 eps, accepted " + upper2);
            }
            if (e.beyond(3) > upper3) {
                failures.add(where + ": " + e.beyond(3) + " of " + trials + " trials beyond 3 eps, accepted " + upper3);
            }
        }
        return failures;
    }

    @Test
    void relativeErrorAtAHundredThousandScoresIsWithinTheStatedBound() {
        SplittableRandom random = new SplittableRandom(2_021);
        Errors[] single = errors();
        Errors[] merged = errors();
        for (int t = 0; t < 120; t++) {
            double[] scores = scores(random, 100_000);
            record(single, SketchCalibration.of(scores, 12), scores);
            if (t % 2 == 1) {
                continue;
            }
            // Every other trial: the same scores from four sources, sketched apart and merged.
            List<SketchCalibration> parts = new ArrayList<>();
            for (int part = 0; part < 4; part++) {
                SketchCalibration.Builder builder = new SketchCalibration.Builder(12);
                for (int i = part; i < scores.length; i += 4) {
                    builder.add(scores[i]);
                }
                parts.add(builder.build());
            }
            record(merged, SketchCalibration.union(parts), scores);
        }
        List<String> failures = new ArrayList<>(check("n=10^5 k=12", single));
        failures.addAll(check("n=10^5 k=12 merged from 4", merged));
        assertEquals(List.of(), failures);
        // At 10^5 scores and k = 12 the tail of alpha = 1e-2 is estimated and that of 1e-4 exact.
        assertTrue(single[0].rms() > 0.0 && !single[0].allExact());
        assertTrue(single[2].allExact());
    }

    @Test
    void relativeErrorAtAMillionScoresIsWithinTheStatedBound() {
        SplittableRandom random = new SplittableRandom(2_022);
        Errors[] small = errors();
        Errors[] standard = errors();
        for (int t = 0; t < 10; t++) {
            double[] scores = scores(random, 1_000_000);
            SketchCalibration k12 = SketchCalibration.of(scores, 12);
            record(small, k12, scores);
            SketchCalibration k32 = SketchCalibration.of(scores, SketchCalibration.DEFAULT_K);
            record(standard, k32, scores);
            // Bounded memory: 8 MB of exact scores become a few tens of KB.
            assertTrue(k12.memoryBytes() < 40_000, "k=12: " + k12.memoryBytes() + " bytes");
            assertTrue(k32.memoryBytes() < 100_000, "k=32: " + k32.memoryBytes() + " bytes");
        }
        List<String> failures = new ArrayList<>(check("n=10^6 k=12", small));
        failures.addAll(check("n=10^6 k=" + SketchCalibration.DEFAULT_K, standard));
        assertEquals(List.of(), failures);
        assertTrue(!small[1].allExact() && small[1].rms() > 0.0, "alpha = 1e-3 is estimated at k = 12");
    }

    @Test
    void exchangeableEventsKeepTheConformalGuaranteeUpToTheStatedError() {
        // n = 999 scores sketched at the smallest k, 4: eps = 3.3%, and the tail of alpha = 0.1 is estimated.
        int n = 999;
        int k = 4;
        int trials = 16_000;
        double[] alphas = {0.1, 0.01};
        SplittableRandom random = new SplittableRandom(2_023);
        int[] flagged = new int[alphas.length];
        double[] randomized = new double[trials];
        double[] stated = new double[alphas.length];
        for (int t = 0; t < trials; t++) {
            SketchCalibration sketch = SketchCalibration.of(scores(random, n), k);
            double score = -Math.log(1.0 - random.nextDouble());
            double p = sketch.pValue(score);
            for (int a = 0; a < alphas.length; a++) {
                if (p <= alphas[a]) {
                    flagged[a]++;
                }
                stated[a] = sketch.relativeStandardError(alphas[a]);
            }
            randomized[t] = sketch.randomizedPValue(score, random.nextDouble());
        }
        List<String> failures = new ArrayList<>();
        for (int a = 0; a < alphas.length; a++) {
            double slack = 3 * stated[a];
            int upper = SamplingTolerance.binomialUpper(trials, alphas[a] / (1 - slack) + BEYOND_3_SIGMA, EPS);
            int lower = SamplingTolerance.binomialLower(trials, alphas[a] * (1 - slack), EPS);
            if (flagged[a] > upper || flagged[a] < lower) {
                failures.add("alpha=" + alphas[a] + " (eps " + stated[a] + "): " + flagged[a] + " of " + trials
                        + " flagged, accepted [" + lower + ", " + upper + "]");
            }
        }
        double d = KolmogorovSmirnov.statisticAgainstUniform(randomized);
        if (KolmogorovSmirnov.pValue(d, trials) <= 1e-4) {
            failures.add("randomized p' not uniform: D = " + d + " over " + trials + " trials");
        }
        assertEquals(List.of(), failures);
        assertEquals(0.1306394529 / 4, stated[0], 1e-10);
    }
}
